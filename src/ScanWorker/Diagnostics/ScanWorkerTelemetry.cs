using System.Diagnostics;
using System.Diagnostics.Metrics;
using ScanWorker.Clamd;
using ScanWorker.Contracts;
using ScanWorker.Scanning;

namespace ScanWorker.Diagnostics;

/// <summary>
/// Every measurement of the worker, made once per event at the call site and recorded twice inside: on
/// prometheus-net (<see cref="Prometheus"/>, what <c>/metrics</c> serves) and on the one <see cref="Meter"/> named
/// <see cref="Name"/> (what the optional OTLP export reads), with the <see cref="ActivitySource"/> for traces.
/// Both are this host's own (tests run several hosts in one process).
/// </summary>
public sealed class ScanWorkerTelemetry : IDisposable
{
    public const string Name = "ScanWorker";

    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly Counter<long> _scans;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _bytes;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _clamdConnectionFailures;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _foundViruses;
    private readonly Counter<long> _deprecatedHits;
    private readonly Counter<long> _bucketRecords;
    private readonly Counter<long> _writeBacks;

    public ScanWorkerTelemetry(IMeterFactory meters, ClamdScanSlots slots, ClamdMonitor clamd, ClamdAvailability availability, EngineCanary canary)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(availability);
        ArgumentNullException.ThrowIfNull(canary);
        Prometheus = new PrometheusMetrics(slots, clamd, availability, canary);
        Meter = meters.Create(Name);
        _scans = Meter.CreateCounter<long>("scanworker_scans", description: "Scans finished, by source (s3, mount, http) and result (clean, infected, error).");
        _errors = Meter.CreateCounter<long>("scanworker_scan_errors", description: "Scans that ended in an error, by reason.");
        _bytes = Meter.CreateCounter<long>("scanworker_scanned_bytes", "By", "Bytes streamed to clamd, by source.");
        _duration = Meter.CreateHistogram("scanworker_scan_duration_seconds", "s", "Time from request to verdict, by source and result.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _clamdConnectionFailures = Meter.CreateCounter<long>("scanworker_clamd_connection_failures",
            description: "Scans that could not reach clamd (refused, reset or dropped connections).");
        _retries = Meter.CreateCounter<long>("scanworker_messages_retried", description: "Scan requests retried after a transient failure.");
        _foundViruses = Meter.CreateCounter<long>("no_of_found_viruses", description: "The total number of found viruses");
        _deprecatedHits = Meter.CreateCounter<long>("no_of_hits_on_deprecated_scan_endpoint",
            description: "The number of hits on the deprecated /scan endpoint. If this is not 0, inform your clients to adjust their code to use the /v2/scan endpoint instead.");

        _bucketRecords = Meter.CreateCounter<long>("scanworker_bucket_event_records",
            description: "Records of bucket notifications, by outcome (queued, ignored, refused, test, unreadable).");
        _writeBacks = Meter.CreateCounter<long>("scanworker_write_backs",
            description: "Verdicts written back to S3, by action (tag, delete, quarantine) and result (done, skipped, failed).");
        Meter.CreateObservableGauge("scanworker_scans_in_flight", () => slots.InFlight, description: "Scans holding a clamd slot right now.");
        Meter.CreateObservableGauge("scanworker_clamd_up", () => clamd.Current.Up ? 1 : 0, description: "1 when clamd answered the last PING, else 0.");
        Meter.CreateObservableGauge("scanworker_clamd_breaker_open", () => availability.IsDown ? 1 : 0,
            description: "1 while clamd is declared down or frozen by the heartbeat: scans fail fast and the scan queues pause.");
        Meter.CreateObservableGauge("scanworker_engine_canary_passing", () => canary.IsEnabled
                ? [new Measurement<int>(canary.Last is { Problem: null } ? 1 : 0)]
                : Array.Empty<Measurement<int>>(),
            description: "1 while clamd detects every canary sample; 0 when it failed or has not run (no clean verdict leaves then); absent when off.");
        Meter.CreateObservableGauge("scanworker_build_info", () => new Measurement<int>(1, new KeyValuePair<string, object?>("version", BuildInfo.Version)),
            description: "Always 1; the worker's version in the label.");
        Meter.CreateObservableGauge("scanworker_clamd_signature_version", ObserveSignatureVersion(clamd),
            description: "Signature database version clamd reports (daily.cvd); absent when it reports none.");
        Meter.CreateObservableGauge("scanworker_clamd_signature_age_seconds", ObserveSignatureAge(clamd),
            "s", "Age of clamd's signature database; absent when clamd reports no date.");
        Meter.CreateObservableGauge("scanworker_clamd_threads", ObserveThreads(clamd), description: "clamd threads from STATS, by state (live, idle, max).");
        Meter.CreateObservableGauge("scanworker_clamd_queue_items", ObserveQueue(clamd), description: "Items in clamd's queue from STATS.");

        Meter.CreateObservableCounter("process_cpu_seconds", CpuSeconds, "s", "Total user and system CPU time spent in seconds.");
        Meter.CreateObservableGauge("process_resident_memory_bytes", () => Environment.WorkingSet, "By", "Resident memory size in bytes.");
        Meter.CreateObservableGauge("dotnet_gc_heap_size_bytes", () => GC.GetTotalMemory(forceFullCollection: false), "By",
            "Bytes currently allocated on the GC heap.");
        Meter.CreateObservableGauge("dotnet_threadpool_queue_length", () => ThreadPool.PendingWorkItemCount,
            description: "Work items waiting for a thread-pool thread.");
        ActivitySource = new ActivitySource(Name);
    }

    public Meter Meter { get; }

    /// <summary>The prometheus-net metrics and their registry, for <c>GET /metrics</c>.</summary>
    public PrometheusMetrics Prometheus { get; }

    public ActivitySource ActivitySource { get; }

    /// <summary>One finished scan, whatever its outcome.</summary>
    public void RecordScan(string source, ScanOutcome outcome, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var result = outcome.Verdict switch
        {
            ScanVerdict.Clean => "clean",
            ScanVerdict.Infected => "infected",
            _ => "error",
        };
        var sourceTag = new KeyValuePair<string, object?>("source", source);
        var resultTag = new KeyValuePair<string, object?>("result", result);
        _scans.Add(1, sourceTag, resultTag);
        _bytes.Add(outcome.ScannedBytes, sourceTag);
        _duration.Record(elapsed.TotalSeconds, sourceTag, resultTag);
        Prometheus.Scans.WithLabels(source, result).Inc();
        Prometheus.Bytes.WithLabels(source).Inc(outcome.ScannedBytes);
        Prometheus.Duration.WithLabels(source, result).Observe(elapsed.TotalSeconds);
        if (outcome.Verdict == ScanVerdict.Infected)
        {
            _foundViruses.Add(1);
            Prometheus.FoundViruses.Inc();
        }

        if (outcome.Reason is { } reason)
        {
            var name = reason.ToString();
            _errors.Add(1, new KeyValuePair<string, object?>("reason", name));
            Prometheus.Errors.WithLabels(name).Inc();
            if (reason == ScanErrorReason.ScannerUnavailable)
            {
                _clamdConnectionFailures.Add(1);
                Prometheus.ClamdConnectionFailures.Inc();
            }
        }
    }

    public void MessageRetried()
    {
        _retries.Add(1);
        Prometheus.Retries.Inc();
    }

    /// <summary><paramref name="count"/> records of bucket notifications ended as <paramref name="outcome"/>.</summary>
    public void BucketRecords(string outcome, int count = 1)
    {
        if (count > 0)
        {
            _bucketRecords.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
            Prometheus.BucketRecords.WithLabels(outcome).Inc(count);
        }
    }

    public void WriteBack(string action, string result)
    {
        _writeBacks.Add(1, new KeyValuePair<string, object?>("action", action), new KeyValuePair<string, object?>("result", result));
        Prometheus.WriteBacks.WithLabels(action, result).Inc();
    }

    public void DeprecatedScanEndpointHit()
    {
        _deprecatedHits.Add(1);
        Prometheus.DeprecatedHits.Inc();
    }

    private static double CpuSeconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }

    private static Func<IEnumerable<Measurement<long>>> ObserveSignatureVersion(ClamdMonitor clamd) => () =>
        clamd.Current.Version?.SignatureVersion is { } version ? [new Measurement<long>(version)] : [];

    private static Func<IEnumerable<Measurement<double>>> ObserveSignatureAge(ClamdMonitor clamd) => () =>
        clamd.SignatureAge is { } age ? [new Measurement<double>(age.TotalSeconds)] : [];

    private static Func<IEnumerable<Measurement<long>>> ObserveThreads(ClamdMonitor clamd) => () =>
    {
        var stats = clamd.Current.Stats;
        return stats is null
            ? []
            : new (string State, int? Value)[] { ("live", stats.ThreadsLive), ("idle", stats.ThreadsIdle), ("max", stats.ThreadsMax) }
                .Where(thread => thread.Value is not null)
                .Select(thread => new Measurement<long>(thread.Value!.Value, new KeyValuePair<string, object?>("state", thread.State)));
    };

    private static Func<IEnumerable<Measurement<long>>> ObserveQueue(ClamdMonitor clamd) => () =>
        clamd.Current.Stats?.QueueItems is { } items ? [new Measurement<long>(items)] : [];

    public void Dispose() => ActivitySource.Dispose();
}
