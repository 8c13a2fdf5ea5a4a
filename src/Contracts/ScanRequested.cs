namespace ScanWorker.Contracts;

/// <summary>A scan of one object was requested. Every request ends in exactly one <see cref="ScanCompleted"/> event.</summary>
public sealed record ScanRequested
{
    /// <summary>Idempotency key chosen by the producer; echoed in every result.</summary>
    public required Guid ScanId { get; init; }

    /// <summary>Where the bytes live: an S3 object or a file on the shared mount.</summary>
    public required ScanTarget Target { get; init; }

    /// <summary>Opaque producer data, echoed unchanged in the result (total size is capped by the worker).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>When the producer asked for the scan, if it says.</summary>
    public DateTimeOffset? RequestedAt { get; init; }
}
