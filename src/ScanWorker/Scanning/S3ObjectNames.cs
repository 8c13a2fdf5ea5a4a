namespace ScanWorker.Scanning;

/// <summary>
/// Which bucket names and keys the worker sends to S3. Bucket names follow S3's rules, with the legacy ones some
/// stores still accept (upper case, underscores, up to 255 characters): letters, digits, '.', '-', '_', starting and
/// ending with a letter or digit. A key with a '.' or '..' segment is refused: S3 keeps it verbatim, but an SDK or a
/// normalising proxy in front of the store may resolve it into another object or bucket. A key over S3's 1,024 bytes
/// names no object: refused before a request that a store would answer with an error (or a 500 worth retrying).
/// </summary>
public static class S3ObjectNames
{
    /// <summary>S3's limit on a key's length, in bytes of UTF-8.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>Null when S3 accepts <paramref name="bucket"/> as a bucket name; otherwise why not.</summary>
    public static string? BucketProblem(string bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        if (bucket.Length is < 3 or > 255)
        {
            return $"bucket name '{Shown(bucket)}' must be 3 to 255 characters long";
        }

        if (!bucket.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')
            || !char.IsAsciiLetterOrDigit(bucket[0]) || !char.IsAsciiLetterOrDigit(bucket[^1]) || bucket.Contains("..", StringComparison.Ordinal))
        {
            return $"bucket name '{Shown(bucket)}' is not a valid S3 bucket name (letters, digits, '.', '-', '_'; a letter or digit at both ends)";
        }

        return null;
    }

    /// <summary>Null when <paramref name="key"/> may be sent as it is; otherwise why not.</summary>
    public static string? KeyProblem(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (System.Text.Encoding.UTF8.GetByteCount(key) is var bytes and > MaxKeyBytes)
        {
            return $"key '{Shown(key)}' is {bytes} bytes of UTF-8; S3 keys are at most {MaxKeyBytes}, so no such object exists";
        }

        return key.Split('/').Any(segment => segment is "." or "..")
            ? $"key '{Shown(key)}' has a '.' or '..' segment, which a proxy or SDK in front of S3 may resolve to another object"
            : null;
    }

    private static string Shown(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
