namespace ScanWorker.Buckets;

/// <summary>One record of a bucket notification, with its key already decoded for its dialect.</summary>
/// <param name="Dialect">The store that wrote it.</param>
/// <param name="EventName">As the store wrote it: <c>s3:ObjectCreated:Put</c> (MinIO) or <c>ObjectCreated:Put</c> (AWS, Ceph).</param>
/// <param name="Bucket">Bucket name.</param>
/// <param name="Key">Object key, decoded.</param>
/// <param name="VersionId">Object version, when the bucket is versioned.</param>
/// <param name="ETag">ETag of the object the event is about, without quotes.</param>
/// <param name="Sequencer">Orders events of one key; identical on a redelivery, so part of the scan id.</param>
/// <param name="Size">Object size in bytes, when the event says.</param>
/// <param name="Principal">Who made the change (<c>userIdentity.principalId</c>): set by the store, not by the uploader.</param>
public sealed record BucketObjectEvent(
    BucketEventDialect Dialect,
    string EventName,
    string Bucket,
    string Key,
    string? VersionId,
    string? ETag,
    string? Sequencer,
    long? Size,
    string? Principal = null)
{
    /// <summary>The event name without MinIO's <c>s3:</c> prefix: <c>ObjectCreated:Put</c>.</summary>
    public string Kind => EventName.StartsWith("s3:", StringComparison.Ordinal) ? EventName[3..] : EventName;
}
