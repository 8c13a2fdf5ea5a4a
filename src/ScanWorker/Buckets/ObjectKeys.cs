using System.Net;

namespace ScanWorker.Buckets;

/// <summary>Object keys as the stores encode them in events.</summary>
public static class ObjectKeys
{
    /// <summary>
    /// AWS and MinIO form-encode the key (<c>+</c> is a space, <c>%2B</c> a plus), which
    /// <see cref="WebUtility.UrlDecode"/> undoes and <c>Uri.UnescapeDataString</c> does not (it keeps <c>+</c>).
    /// Ceph sends the raw name: decoding it would corrupt keys that contain <c>+</c> or <c>%</c>.
    /// </summary>
    public static string Decode(string key, BucketEventDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(key);
        return dialect == BucketEventDialect.Ceph ? key : WebUtility.UrlDecode(key);
    }

    /// <summary>Keys ending in <c>/</c> are folder markers created by consoles, not content.</summary>
    public static bool IsFolderMarker(string key) => key.EndsWith('/');
}
