namespace ScanWorker.Buckets;

/// <summary>Where quarantined objects go: <c>{bucket}/{prefix}{source bucket}/{source key}</c>.</summary>
public sealed record QuarantineLocation(string? Bucket, string Prefix)
{
    public static QuarantineLocation From(BucketEventsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new QuarantineLocation(string.IsNullOrEmpty(options.QuarantineBucket) ? null : options.QuarantineBucket, options.QuarantinePrefix);
    }

    /// <summary>S3's limit on a key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>
    /// Where <paramref name="sourceKey"/> is quarantined. A key that would pass S3's 1,024-byte limit there is
    /// replaced by its SHA-256 (<c>{prefix}{bucket}/sha256/{hex}</c>), so a long key can still be moved out of place.
    /// </summary>
    public (string Bucket, string Key) For(string sourceBucket, string sourceKey)
    {
        var key = $"{Prefix}{sourceBucket}/{sourceKey}";
        if (System.Text.Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sourceKey)));
            key = $"{Prefix}{sourceBucket}/sha256/{hash}";
        }

        return (Bucket ?? sourceBucket, key);
    }

    /// <summary>True for a key inside the quarantine location: its events come from this worker's own copies.</summary>
    public bool Contains(string bucket, string key) =>
        (Bucket is null || string.Equals(Bucket, bucket, StringComparison.Ordinal))
        && (Prefix.Length > 0 ? key.StartsWith(Prefix, StringComparison.Ordinal) : Bucket is not null);
}
