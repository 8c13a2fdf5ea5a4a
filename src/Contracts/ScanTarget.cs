namespace ScanWorker.Contracts;

/// <summary>
/// Exactly one of: an S3 object (<see cref="Bucket"/> + <see cref="Key"/>, optionally pinned by
/// <see cref="VersionId"/> and/or <see cref="ETag"/>) or a file on the shared mount (<see cref="Path"/>).
/// Anything else is an invalid request.
/// </summary>
public sealed record ScanTarget
{
    /// <summary>S3 bucket name.</summary>
    public string? Bucket { get; init; }

    /// <summary>S3 object key, not URL-encoded.</summary>
    public string? Key { get; init; }

    /// <summary>Pins the S3 object version to scan.</summary>
    public string? VersionId { get; init; }

    /// <summary>Pins the content: when the object's ETag differs the result is <see cref="ScanErrorReason.Changed"/>.</summary>
    public string? ETag { get; init; }

    /// <summary>Path of a file on the shared mount, relative to the worker's configured mount root.</summary>
    public string? Path { get; init; }
}
