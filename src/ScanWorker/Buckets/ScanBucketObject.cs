using ScanWorker.Contracts;

namespace ScanWorker.Buckets;

/// <summary>
/// One object of a bucket to scan and write back: a record of a notification (live lane) or an object a
/// rescan listed (backlog lane). Internal to the worker; results are the usual <see cref="ScanCompleted"/> events.
/// </summary>
public sealed record ScanBucketObject
{
    /// <summary>Derived with <see cref="BucketScanId"/>, so a redelivery keeps it.</summary>
    public required Guid ScanId { get; init; }

    /// <summary>Bucket and key, pinned by version id and/or ETag.</summary>
    public required ScanTarget Target { get; init; }

    /// <summary><c>bucket-event</c> or <c>rescan</c>; echoed in the result's metadata as <c>origin</c>.</summary>
    public required string Origin { get; init; }

    public string? EventName { get; init; }

    public string? Sequencer { get; init; }

    public Guid? RescanId { get; init; }

    /// <summary>A rescan's object: its scan-status tag before this scan (<c>clean</c> when new signatures rescan it).</summary>
    public string? PreviousStatus { get; init; }

    /// <summary>A rescan's object: the signature version of its previous verdict, from its scan-engine tag.</summary>
    public int? PreviousSignatureVersion { get; init; }

    /// <summary>See <see cref="BucketEventFilter.MayPrecedeTheObject"/>.</summary>
    public bool MayPrecedeTheObject { get; init; }

    public DateTimeOffset? RequestedAt { get; init; }
}
