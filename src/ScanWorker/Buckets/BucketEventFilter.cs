namespace ScanWorker.Buckets;

/// <summary>
/// Which records become scans: every object-created event with new content, whatever its key. Not the ones a
/// scanner causes itself (MinIO reports tagging, retention and legal holds as <c>ObjectCreated:*</c> too), not the
/// worker's own copies into quarantine (recognised by the event's principal, which an uploader cannot set, never
/// by the key alone), not empty folder markers. An uploader chooses the key, so a key is never a reason to skip.
/// </summary>
public static class BucketEventFilter
{
    private static readonly string[] ContentEvents = ["Put", "Post", "Copy", "CompleteMultipartUpload"];
    private static readonly string[] MetadataEvents = ["Tagging", "Retention", "LegalHold"];

    /// <summary>Null when the record is to be scanned; otherwise why it is not.</summary>
    /// <param name="record">One record of a notification.</param>
    /// <param name="quarantine">Where the worker copies infected objects.</param>
    /// <param name="ownPrincipals">The worker's own S3 identities, as events name them.</param>
    /// <param name="clean">Where the worker promotes clean objects, when it does.</param>
    public static string? WhyIgnored(BucketObjectEvent record, ObjectPlace quarantine, IReadOnlySet<string> ownPrincipals, ObjectPlace? clean = null)
    {
        ArgumentNullException.ThrowIfNull(ownPrincipals);
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

        // A key ending in '/' holds content like any other once it is not empty (or the event does not say).
        if (ObjectKeys.IsFolderMarker(record.Key) && record.Size == 0)
        {
            return "the key is an empty folder marker";
        }

        var own = record.Principal is { } principal && ownPrincipals.Contains(principal);
        return own && quarantine.Contains(record.Bucket, record.Key) ? "the worker's own copy into the quarantine location"
            : own && clean is not null && clean.Contains(record.Bucket, record.Key) ? "the worker's own promotion into the clean place"
            : null;
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
