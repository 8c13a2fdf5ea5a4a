namespace ScanWorker.Buckets;

/// <summary>
/// What a rescan's workers tell its tally (<see cref="RescanTracker"/>), on the progress queue: a listed page, or one
/// object's published result. Internal to the worker.
/// </summary>
public sealed record RescanProgress
{
    public required Guid RescanId { get; init; }

    public required string Bucket { get; init; }

    public string? Prefix { get; init; }

    /// <summary>Set for a listed page: its number (from 1).</summary>
    public int? Page { get; init; }

    /// <summary>For a listed page: the last one, the listing is complete.</summary>
    public bool LastPage { get; init; }

    public int Listed { get; init; }

    public int Queued { get; init; }

    public int Skipped { get; init; }

    /// <summary>Set for one object's result: its verdict, <c>clean</c>, <c>infected</c> or <c>error</c>.</summary>
    public string? Verdict { get; init; }
}
