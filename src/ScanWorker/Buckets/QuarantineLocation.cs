namespace ScanWorker.Buckets;

/// <summary>Where quarantined objects go: <c>{bucket}/{prefix}{source bucket}/{source key}</c>.</summary>
public sealed record QuarantineLocation(string? Bucket, string Prefix)
{
    public static QuarantineLocation From(BucketEventsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new QuarantineLocation(string.IsNullOrEmpty(options.QuarantineBucket) ? null : options.QuarantineBucket, options.QuarantinePrefix);
    }

    public (string Bucket, string Key) For(string sourceBucket, string sourceKey) =>
        (Bucket ?? sourceBucket, $"{Prefix}{sourceBucket}/{sourceKey}");

    /// <summary>True for a key inside the quarantine location: its events come from this worker's own copies.</summary>
    public bool Contains(string bucket, string key) =>
        (Bucket is null || string.Equals(Bucket, bucket, StringComparison.Ordinal))
        && (Prefix.Length > 0 ? key.StartsWith(Prefix, StringComparison.Ordinal) : Bucket is not null);
}
