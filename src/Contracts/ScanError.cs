namespace ScanWorker.Contracts;

/// <summary>The object was not (fully) scanned; nothing about it is known to be clean.</summary>
public sealed record ScanError : ScanCompleted
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

    /// <summary>Why the scan did not produce a verdict.</summary>
    public required ScanErrorReason Reason { get; init; }

    /// <summary>Human-readable detail for operators; not meant to be parsed.</summary>
    public required string Detail { get; init; }

    /// <summary>True when the cause was temporary (scanner or source unreachable, timeout) and a replay may succeed.</summary>
    public bool Transient { get; init; }
}
