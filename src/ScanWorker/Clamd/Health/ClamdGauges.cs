using ScanWorker.Diagnostics;

namespace ScanWorker.Clamd;

/// <summary>clamd as the worker last saw it, read when metrics are collected; what clamd did not report is left out.</summary>
internal sealed class ClamdGauges(ClamdScanSlots slots, ClamdMonitor clamd, ClamdAvailability availability, EngineCanary canary) : IGaugeSource
{
    public IEnumerable<ObservedGauge> Gauges =>
    [
        new(ScanWorkerMetrics.ScansInFlight, () => [new GaugeReading(slots.InFlight)]),
        new(ScanWorkerMetrics.ClamdUp, () => [new GaugeReading(clamd.Current.Up ? 1 : 0)]),
        new(ScanWorkerMetrics.ClamdBreakerOpen, () => [new GaugeReading(availability.IsDown ? 1 : 0)]),
        new(ScanWorkerMetrics.EngineCanaryPassing, () => canary.IsEnabled ? [new GaugeReading(canary.Last is { Problem: null } ? 1 : 0)] : []),
        new(ScanWorkerMetrics.ClamdSignatureVersion, () => Known(clamd.Current.Version?.SignatureVersion)),
        new(ScanWorkerMetrics.ClamdSignatureAge, () => Known(clamd.SignatureAge?.TotalSeconds)),
        new(ScanWorkerMetrics.ClamdThreads, Threads),
        new(ScanWorkerMetrics.ClamdQueueItems, () => Known(clamd.Current.Stats?.QueueItems)),
    ];

    private static IEnumerable<GaugeReading> Known(double? value) => value is { } known ? [new GaugeReading(known)] : [];

    private IEnumerable<GaugeReading> Threads()
    {
        var stats = clamd.Current.Stats;
        foreach (var (state, value) in new (string, int?)[] { ("live", stats?.ThreadsLive), ("idle", stats?.ThreadsIdle), ("max", stats?.ThreadsMax) })
        {
            if (value is { } known)
            {
                yield return new GaugeReading(known, state);
            }
        }
    }
}
