namespace ScanWorker.Buckets;

/// <summary>
/// The message type the bucket-event queue is consumed as. Stores send raw JSON of several shapes, so the
/// consumer reads the body itself (<see cref="BucketEventParser"/>); this type only has to accept any JSON object.
/// </summary>
public sealed class BucketNotification;
