using System.Diagnostics;
using System.Diagnostics.Metrics;
using Prometheus;

namespace ScanWorker.Diagnostics;

/// <summary>
/// The worker's instruments, built once from <see cref="ScanWorkerMetrics"/> on both prometheus-net (<see cref="Registry"/>,
/// what <c>/metrics</c> serves) and the one <see cref="Meter"/> named <see cref="Name"/> (what the optional OTLP export
/// reads), with the <see cref="ActivitySource"/> for traces. Both are this host's own (tests run several hosts in one
/// process). clamav-rest's two counters keep their exact names and start at 0.
/// </summary>
public sealed class ScanWorkerTelemetry : IDisposable
{
    public const string Name = "ScanWorker";

    public ScanWorkerTelemetry(IMeterFactory meters, IEnumerable<IGaugeSource> gaugeSources)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(gaugeSources);
        Meter = meters.Create(Name);
        var prometheus = Metrics.WithCustomRegistry(Registry);
        Scans = new DualCounter(ScanWorkerMetrics.Scans, Meter, prometheus);
        ScanErrors = new DualCounter(ScanWorkerMetrics.ScanErrors, Meter, prometheus);
        ScannedBytes = new DualCounter(ScanWorkerMetrics.ScannedBytes, Meter, prometheus);
        ScanDuration = new DualHistogram(ScanWorkerMetrics.ScanDuration, Meter, prometheus);
        ClamdConnectionFailures = new DualCounter(ScanWorkerMetrics.ClamdConnectionFailures, Meter, prometheus);
        MessagesRetried = new DualCounter(ScanWorkerMetrics.MessagesRetried, Meter, prometheus);
        FoundViruses = new DualCounter(ScanWorkerMetrics.FoundViruses, Meter, prometheus);
        DeprecatedScanEndpointHits = new DualCounter(ScanWorkerMetrics.DeprecatedScanEndpointHits, Meter, prometheus);
        BucketEventRecords = new DualCounter(ScanWorkerMetrics.BucketEventRecords, Meter, prometheus);
        WriteBacks = new DualCounter(ScanWorkerMetrics.WriteBacks, Meter, prometheus);
        RescanObjects = new DualCounter(ScanWorkerMetrics.RescanObjects, Meter, prometheus);
        foreach (var gauge in gaugeSources.SelectMany(source => source.Gauges))
        {
            MetricInstruments.Observe(gauge, Meter, Registry);
        }

        ActivitySource = new ActivitySource(Name);
    }

    public Meter Meter { get; }

    /// <summary>What <c>GET /metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public ActivitySource ActivitySource { get; }

    public DualCounter Scans { get; }

    public DualCounter ScanErrors { get; }

    public DualCounter ScannedBytes { get; }

    public DualHistogram ScanDuration { get; }

    public DualCounter ClamdConnectionFailures { get; }

    public DualCounter MessagesRetried { get; }

    public DualCounter FoundViruses { get; }

    public DualCounter DeprecatedScanEndpointHits { get; }

    /// <summary>Records of bucket notifications, by how each ended.</summary>
    public DualCounter BucketEventRecords { get; }

    /// <summary>Verdicts written back, by action and result.</summary>
    public DualCounter WriteBacks { get; }

    /// <summary>Objects of a rescan, by rescan id and state.</summary>
    public DualCounter RescanObjects { get; }

    public void Dispose() => ActivitySource.Dispose();
}
