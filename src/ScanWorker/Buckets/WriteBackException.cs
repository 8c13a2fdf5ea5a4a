using ScanWorker.Messaging;

namespace ScanWorker.Buckets;

/// <summary>A verdict could not be written back to S3; the result was already published.</summary>
public sealed class WriteBackException(string message, Exception? inner = null) : LoggedFaultException(message, inner);
