using Microsoft.Extensions.Options;
using ScanWorker.Diagnostics;

namespace ScanWorker.Clamd;

/// <summary>
/// Bounds the scans in flight towards one clamd, shared by every caller in the process. clamd does not
/// refuse work when its threads are busy; its dispatcher blocks, so the only visible symptom of
/// overload is latency. The bound is <see cref="ClamdOptions.MaxConcurrentScans"/> or, when that is
/// unset, clamd's MaxThreads read once from STATS at the first scan.
/// </summary>
public sealed class ClamdScanSlots(IOptions<ClamdOptions> options, ILogger<ClamdScanSlots> logger) : IDisposable
{
    /// <summary>clamd's own default MaxThreads, used when STATS is disabled (<c>EnableStatsCommand no</c>).</summary>
    public const int ClamdDefaultMaxThreads = 10;

    private readonly SemaphoreSlim _sizing = new(1, 1);
    private SemaphoreSlim? _slots;
    private int _inFlight;

    /// <summary>The bound, once known.</summary>
    public int? Capacity { get; private set; }

    /// <summary>Scans holding a slot right now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The bound, reading clamd's STATS if it is not known yet.</summary>
    internal async ValueTask<int> GetCapacityAsync(Func<CancellationToken, Task<ClamdStats>> readStats, CancellationToken cancellationToken)
    {
        if (_slots is null)
        {
            await SizeAsync(readStats, cancellationToken);
        }

        return Capacity ?? ClamdDefaultMaxThreads;
    }

    /// <summary>Waits for a free slot; dispose the result to give it back.</summary>
    internal async ValueTask<Slot> AcquireAsync(Func<CancellationToken, Task<ClamdStats>> readStats, CancellationToken cancellationToken)
    {
        var slots = _slots ?? await SizeAsync(readStats, cancellationToken);
        await slots.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _inFlight);
        return new Slot(this, slots);
    }

    private async Task<SemaphoreSlim> SizeAsync(Func<CancellationToken, Task<ClamdStats>> readStats, CancellationToken cancellationToken)
    {
        await _sizing.WaitAsync(cancellationToken);
        try
        {
            if (_slots is not null)
            {
                return _slots;
            }

            var capacity = options.Value.MaxConcurrentScans ?? await ReadMaxThreadsAsync(readStats, cancellationToken);
            Capacity = capacity;
            logger.ClamdConcurrencyBound(capacity, options.Value.MaxConcurrentScans is null ? "clamd STATS" : "configuration");
            return _slots = new SemaphoreSlim(capacity, capacity);
        }
        finally
        {
            _sizing.Release();
        }
    }

    // An unreachable clamd propagates (the scan could not run anyway, and the next scan asks again);
    // a clamd that will not tell is assumed to run with its default.
    private async Task<int> ReadMaxThreadsAsync(Func<CancellationToken, Task<ClamdStats>> readStats, CancellationToken cancellationToken)
    {
        try
        {
            var stats = await readStats(cancellationToken);
            if (stats.ThreadsMax is > 0 and var max)
            {
                return max;
            }
        }
        catch (ClamdProtocolException exception)
        {
            logger.ClamdStatsUnavailable(exception.Message);
            return ClamdDefaultMaxThreads;
        }

        logger.ClamdStatsUnavailable("STATS did not report THREADS max");
        return ClamdDefaultMaxThreads;
    }

    public void Dispose()
    {
        _sizing.Dispose();
        _slots?.Dispose();
    }

    internal readonly struct Slot(ClamdScanSlots owner, SemaphoreSlim slots) : IDisposable
    {
        public void Dispose()
        {
            Interlocked.Decrement(ref owner._inFlight);
            slots.Release();
        }
    }
}
