using ScanWorker.Contracts;

namespace ScanWorker.Buckets;

/// <summary>
/// The running totals of one rescan, folded from its <see cref="RescanProgress"/> messages in any order (a page's results
/// may come before the page itself). Complete when the last page and every page before it were counted and every
/// queued object has a result. Pure: no clock, no I/O.
/// </summary>
public sealed class RescanTally(Guid rescanId, string bucket, string? prefix)
{
    private readonly SortedSet<int> _pages = [];
    private int _lastPage;

    public Guid RescanId { get; } = rescanId;

    public long Listed { get; private set; }

    public long Queued { get; private set; }

    public long Skipped { get; private set; }

    public long Clean { get; private set; }

    public long Infected { get; private set; }

    public long Errors { get; private set; }

    public long Scanned => Clean + Infected + Errors;

    /// <summary>The first page counted (1 unless this tally began in the middle of the rescan).</summary>
    public int FirstPage => _pages.Count == 0 ? 1 : _pages.Min;

    public void Add(RescanProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (progress.Page is { } page)
        {
            if (!_pages.Add(page))
            {
                return; // a redelivered page is counted once
            }

            Listed += progress.Listed;
            Queued += progress.Queued;
            Skipped += progress.Skipped;
            if (progress.LastPage)
            {
                _lastPage = page;
            }
        }

        switch (progress.Verdict)
        {
            case "clean":
                Clean++;
                break;
            case "infected":
                Infected++;
                break;
            case "error":
                Errors++;
                break;
        }
    }

    /// <summary>
    /// The listing is complete (its last page and every page from <see cref="FirstPage"/> to it were counted) and every
    /// queued object has a result.
    /// </summary>
    public bool IsComplete => _lastPage > 0 && _pages.Count == _lastPage - FirstPage + 1 && Scanned >= Queued;

    public RescanCompleted Completed(DateTimeOffset at) => new()
    {
        RescanId = RescanId,
        Bucket = bucket,
        Prefix = prefix,
        Listed = Listed,
        Queued = Queued,
        Skipped = Skipped,
        Scanned = Scanned,
        Clean = Clean,
        Infected = Infected,
        Errors = Errors,
        CountedFromPage = FirstPage,
        CompletedAt = at,
    };
}
