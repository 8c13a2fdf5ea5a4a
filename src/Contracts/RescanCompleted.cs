namespace ScanWorker.Contracts;

/// <summary>
/// A rescan (<see cref="RescanRequested"/>) is over: its listing is complete and every object it queued has its
/// result. Published once per rescan, with the totals. Each object's own result is the usual <see cref="ScanCompleted"/>
/// (its metadata carries <c>rescanId</c>).
/// </summary>
public sealed record RescanCompleted
{
    public required Guid RescanId { get; init; }

    public required string Bucket { get; init; }

    public string? Prefix { get; init; }

    /// <summary>Objects the listing returned.</summary>
    public long Listed { get; init; }

    /// <summary>Objects queued for a scan; the rest were skipped (the request's filters, empty folder markers).</summary>
    public long Queued { get; init; }

    public long Skipped { get; init; }

    /// <summary>Results published for the queued objects: <see cref="Clean"/> + <see cref="Infected"/> + <see cref="Errors"/>.</summary>
    public long Scanned { get; init; }

    public long Clean { get; init; }

    public long Infected { get; init; }

    public long Errors { get; init; }

    /// <summary>
    /// The first listing page these totals include: 1 for the whole rescan. Higher when the worker that counts took over
    /// in the middle of the rescan (the one before it stopped); the totals then cover the pages from this one on.
    /// </summary>
    public int CountedFromPage { get; init; } = 1;

    public DateTimeOffset CompletedAt { get; init; }
}
