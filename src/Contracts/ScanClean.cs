namespace ScanWorker.Contracts;

/// <summary>clamd answered OK for a stream that carried the whole object.</summary>
public sealed record ScanClean : ScanCompleted
{
    /// <inheritdoc />
    public required Guid ScanId { get; init; }

    /// <inheritdoc />
    public required ScanTarget Target { get; init; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <inheritdoc />
    public required DateTimeOffset CompletedAt { get; init; }

    /// <inheritdoc />
    public long ElapsedMs { get; init; }

    /// <inheritdoc />
    public long ScannedBytes { get; init; }

    /// <inheritdoc />
    public string? Sha256 { get; init; }

    /// <inheritdoc />
    public string? ClamAvVersion { get; init; }

    /// <inheritdoc />
    public int? SignatureVersion { get; init; }

    /// <inheritdoc />
    public DateTimeOffset? SignatureDate { get; init; }
}
