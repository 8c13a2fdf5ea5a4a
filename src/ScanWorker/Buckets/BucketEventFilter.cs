namespace ScanWorker.Buckets;

/// <summary>
/// Which records become scans. Only new content: object-created events, never the ones a scanner causes
/// itself (MinIO reports tagging, retention and legal holds as <c>ObjectCreated:*</c> too), never the
/// worker's own copies into quarantine, never folder markers. This is what keeps write-back from looping.
/// </summary>
public static class BucketEventFilter
{
    private static readonly string[] ContentEvents = ["Put", "Post", "Copy", "CompleteMultipartUpload"];
    private static readonly string[] MetadataEvents = ["Tagging", "Retention", "LegalHold"];

    /// <summary>Null when the record is to be scanned; otherwise why it is not.</summary>
    public static string? WhyIgnored(BucketObjectEvent record, QuarantineLocation quarantine)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(quarantine);
        const string created = "ObjectCreated:";
        var kind = record.Kind;
        if (!kind.StartsWith(created, StringComparison.Ordinal))
        {
            return $"{record.EventName} is not an object-created event";
        }

        var variant = kind[created.Length..];
        if (MetadataEvents.Any(suffix => variant.EndsWith(suffix, StringComparison.Ordinal)))
        {
            return $"{record.EventName} changes metadata, not content (a scanner's own write-back causes these)";
        }

        if (!ContentEvents.Contains(variant, StringComparer.Ordinal))
        {
            return $"{record.EventName} is not a kind of upload this worker knows";
        }

        if (ObjectKeys.IsFolderMarker(record.Key))
        {
            return "the key is a folder marker";
        }

        return quarantine.Contains(record.Bucket, record.Key) ? "the object is in the quarantine location" : null;
    }

    /// <summary>
    /// Ceph RGW also reports the start of a multipart upload as <c>ObjectCreated:Post</c>, before the object
    /// exists; such a record may find nothing (or the previous object) and is then dropped, not reported.
    /// </summary>
    public static bool MayPrecedeTheObject(BucketObjectEvent record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Dialect == BucketEventDialect.Ceph && record.Kind == "ObjectCreated:Post";
    }
}
