namespace ScanWorker.Sources;

/// <summary>ETag comparison as S3 clients need it: with or without the quotes S3 puts around them.</summary>
public static class ETag
{
    public static bool Same(string? left, string? right) =>
        left is not null && right is not null && string.Equals(Bare(left), Bare(right), StringComparison.Ordinal);

    /// <summary>The ETag as an <c>If-Match</c> header needs it, quoted (bucket events from Ceph RGW carry it bare).</summary>
    public static string Quoted(string etag) => $"\"{Bare(etag)}\"";

    private static string Bare(string etag)
    {
        var value = etag.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            value = value[2..];
        }

        return value.Trim('"');
    }
}
