namespace ScanWorker.Contracts;

/// <summary>clamd found malware in the object.</summary>
public sealed record ScanInfected : ScanCompleted
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

    /// <summary>Signature names as clamd reported them; at least one.</summary>
    public required IReadOnlyList<string> Signatures { get; init; }
}
