using System.Collections.Concurrent;
using ScanWorker.Diagnostics;

namespace ScanWorker.Buckets;

/// <summary>The rescans this worker is counting (see <see cref="RescanTracker"/>); their number is a gauge.</summary>
public sealed class RescanTallies : IGaugeSource
{
    private readonly ConcurrentDictionary<Guid, RescanTally> _running = new();

    public RescanTally For(RescanProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return _running.GetOrAdd(progress.RescanId, _ => new RescanTally(progress.RescanId, progress.Bucket, progress.Prefix));
    }

    public void Remove(Guid rescanId) => _running.TryRemove(rescanId, out _);

    public IEnumerable<ObservedGauge> Gauges =>
        [new(ScanWorkerMetrics.RescansRunning, () => [new GaugeReading(_running.Count)])];
}
