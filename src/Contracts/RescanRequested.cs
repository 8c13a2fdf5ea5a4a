namespace ScanWorker.Contracts;

/// <summary>
/// Scan the objects already in a bucket (or below a prefix) again: a backlog after a bucket was connected,
/// or everything after a signature update. The worker lists the bucket page by page and enqueues one scan per
/// object on a backlog lane, at a bounded rate, so live uploads keep priority. Each object then publishes
/// the usual <see cref="ScanCompleted"/> result and gets the usual write-back.
/// </summary>
public sealed record RescanRequested
{
    /// <summary>Identifies this rescan in logs; chosen by the producer.</summary>
    public required Guid RescanId { get; init; }

    public required string Bucket { get; init; }

    /// <summary>Only keys that start with this prefix; unset for the whole bucket.</summary>
    public string? Prefix { get; init; }

    /// <summary>Only objects that carry no scan-status tag yet (never scanned, or scanned before tagging was on).</summary>
    public bool OnlyUnscanned { get; init; }

    /// <summary>
    /// Only objects whose last scan used a signature database older than this version (read from the
    /// scan-engine tag); objects without that tag are included. Unset: no version filter.
    /// </summary>
    public int? OlderThanSignatureVersion { get; init; }

    /// <summary>Only objects whose last verdict (the scan-status tag) is clean: what new signatures may now detect.</summary>
    public bool OnlyClean { get; init; }

    /// <summary>Only objects modified at or after this instant; unset: any age.</summary>
    public DateTimeOffset? ModifiedAfter { get; init; }

    public DateTimeOffset? RequestedAt { get; init; }
}
