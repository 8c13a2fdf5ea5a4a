using ScanWorker.Messaging;

namespace ScanWorker.Buckets;

/// <summary>A message on the bucket-event queue is not an S3 event notification this worker can read.</summary>
public sealed class BucketEventFormatException(string message, Exception? inner = null) : LoggedFaultException(message, inner);
