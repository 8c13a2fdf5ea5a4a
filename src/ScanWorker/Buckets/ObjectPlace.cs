using ScanWorker.Scanning;
using System.Security.Cryptography;
using System.Text;

namespace ScanWorker.Buckets;

/// <summary>
/// Where the worker moves objects: the quarantine (<c>{bucket}/{prefix}{source bucket}/{source key}</c>) or the clean
/// place readers use (<c>{bucket}/{prefix}{source key}</c>). An unset bucket is the object's own.
/// </summary>
/// <param name="Bucket">The bucket, or null for the source object's own.</param>
/// <param name="Prefix">The key prefix.</param>
/// <param name="UnderSourceBucket">Whether keys keep the source bucket's name as their first segment.</param>
public sealed record ObjectPlace(string? Bucket, string Prefix, bool UnderSourceBucket = true)
{
    public static ObjectPlace Quarantine(BucketEventsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ObjectPlace(string.IsNullOrEmpty(options.QuarantineBucket) ? null : options.QuarantineBucket, options.QuarantinePrefix);
    }

    /// <summary>Where <see cref="CleanAction.Promote"/> puts clean objects.</summary>
    public static ObjectPlace Clean(BucketEventsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ObjectPlace(string.IsNullOrEmpty(options.CleanBucket) ? null : options.CleanBucket, options.CleanPrefix, UnderSourceBucket: false);
    }

    /// <summary>
    /// Where <paramref name="sourceKey"/> goes. A key that would pass S3's 1,024-byte limit there is replaced by its SHA-256
    /// (<c>{prefix}[{bucket}/]sha256/{hex}</c>), so a long key can still be moved.
    /// </summary>
    public (string Bucket, string Key) For(string sourceBucket, string sourceKey)
    {
        var under = UnderSourceBucket ? $"{Prefix}{sourceBucket}/" : Prefix;
        var key = under + sourceKey;
        if (Encoding.UTF8.GetByteCount(key) > S3ObjectNames.MaxKeyBytes)
        {
            key = $"{under}sha256/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sourceKey)))}";
        }

        return (Bucket ?? sourceBucket, key);
    }

    /// <summary>True for a key inside this place: its events may come from the worker's own copies.</summary>
    public bool Contains(string bucket, string key) =>
        (Bucket is null || string.Equals(Bucket, bucket, StringComparison.Ordinal))
        && (Prefix.Length > 0 ? key.StartsWith(Prefix, StringComparison.Ordinal) : Bucket is not null);
}
