using System.Security.Cryptography;
using System.Text;

namespace ScanWorker.Buckets;

/// <summary>
/// The scan id of an object seen in a bucket: a name-based UUID (RFC 9562 version 5) of bucket, key,
/// version (or ETag when the bucket is not versioned) and the event's sequencer. A redelivered event, or the
/// same event delivered twice by the store, yields the same id, so consumers of the results can deduplicate.
/// </summary>
public static class BucketScanId
{
    /// <summary>Fixed namespace of ScanWorker's bucket scans; changing it changes every id.</summary>
    private static readonly Guid Namespace = new("3b0e5c7a-93d4-4f5e-9a61-2f8c7d14b6e2");

    public static Guid For(string bucket, string key, string? versionOrETag, string? sequencer)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentNullException.ThrowIfNull(key);
        // Length-prefixed parts, so that no two different tuples can produce the same name.
        var name = string.Join('\n', new[] { bucket, key, versionOrETag ?? string.Empty, sequencer ?? string.Empty }
            .Select(part => $"{part.Length}:{part}"));
        Span<byte> namespaceBytes = stackalloc byte[16];
        Namespace.TryWriteBytes(namespaceBytes, bigEndian: true, out _);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        namespaceBytes.CopyTo(input);
        nameBytes.CopyTo(input, 16);
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for version 5 ids; it is not used for security here.
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
#pragma warning restore CA5350
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
