using System.Diagnostics;
using Prometheus;
using ScanWorker.Clamd;

namespace ScanWorker.Diagnostics;

/// <summary>
/// The metrics users scrape from <c>/metrics</c>, on prometheus-net with a registry of this host's own (tests run
/// several hosts in one process). Names, labels and types are the ones this worker has always exported;
/// clamav-rest's two counters keep their exact names and start at 0. Gauges that mirror clamd or the process are
/// refreshed right before each scrape; one whose value is unknown (no signature date) is left out, not exported as 0.
/// </summary>
public sealed class PrometheusMetrics
{
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    public PrometheusMetrics(ClamdScanSlots slots, ClamdMonitor clamd, ClamdAvailability availability, EngineCanary canary)
    {
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(clamd);
        ArgumentNullException.ThrowIfNull(availability);
        ArgumentNullException.ThrowIfNull(canary);
        var factory = Metrics.WithCustomRegistry(Registry);
        Scans = factory.CreateCounter("scanworker_scans_total", "Scans finished, by source (s3, mount, http) and result (clean, infected, error).",
            "source", "result");
        Errors = factory.CreateCounter("scanworker_scan_errors_total", "Scans that ended in an error, by reason.", "reason");
        Bytes = factory.CreateCounter("scanworker_scanned_bytes_total", "Bytes streamed to clamd, by source.", "source");
        Duration = factory.CreateHistogram("scanworker_scan_duration_seconds", "Time from request to verdict, by source and result.",
            new HistogramConfiguration { LabelNames = ["source", "result"], Buckets = DurationBuckets });
        ClamdConnectionFailures = factory.CreateCounter("scanworker_clamd_connection_failures_total",
            "Scans that could not reach clamd (refused, reset or dropped connections).");
        Retries = factory.CreateCounter("scanworker_messages_retried_total", "Scan requests retried after a transient failure.");
        FoundViruses = factory.CreateCounter("no_of_found_viruses", "The total number of found viruses", WithoutExemplars());
        DeprecatedHits = factory.CreateCounter("no_of_hits_on_deprecated_scan_endpoint",
            "The number of hits on the deprecated /scan endpoint. If this is not 0, inform your clients to adjust their code to use the /v2/scan endpoint instead.",
            WithoutExemplars());
        BucketRecords = factory.CreateCounter("scanworker_bucket_event_records_total",
            "Records of bucket notifications, by outcome (queued, ignored, refused, test, unreadable).", "outcome");
        WriteBacks = factory.CreateCounter("scanworker_write_backs_total",
            "Verdicts written back to S3, by action (tag, delete, quarantine) and result (done, skipped, failed).", "action", "result");

        var inFlight = factory.CreateGauge("scanworker_scans_in_flight", "Scans holding a clamd slot right now.");
        var up = factory.CreateGauge("scanworker_clamd_up", "1 when clamd answered the last PING, else 0.");
        var breakerOpen = factory.CreateGauge("scanworker_clamd_breaker_open",
            "1 while clamd is declared down or frozen by the heartbeat: scans fail fast and the scan queues pause.");
        var canaryPassing = factory.CreateGauge("scanworker_engine_canary_passing",
            "1 while clamd detects every canary sample; 0 when it failed or has not run (no clean verdict leaves then); absent when off.",
            new GaugeConfiguration { SuppressInitialValue = true });
        factory.CreateGauge("scanworker_build_info", "Always 1; the worker's version in the label.", "version").WithLabels(BuildInfo.Version).Set(1);
        var signatureVersion = factory.CreateGauge("scanworker_clamd_signature_version",
            "Signature database version clamd reports (daily.cvd); absent when it reports none.", new GaugeConfiguration { SuppressInitialValue = true });
        var signatureAge = factory.CreateGauge("scanworker_clamd_signature_age_seconds",
            "Age of clamd's signature database; absent when clamd reports no date.", new GaugeConfiguration { SuppressInitialValue = true });
        var threads = factory.CreateGauge("scanworker_clamd_threads", "clamd threads from STATS, by state (live, idle, max).", "state");
        var queue = factory.CreateGauge("scanworker_clamd_queue_items", "Items in clamd's queue from STATS.", new GaugeConfiguration { SuppressInitialValue = true });
        var cpu = factory.CreateCounter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
        var resident = factory.CreateGauge("process_resident_memory_bytes", "Resident memory size in bytes.");
        var heap = factory.CreateGauge("dotnet_gc_heap_size_bytes", "Bytes currently allocated on the GC heap.");
        var threadPoolQueue = factory.CreateGauge("dotnet_threadpool_queue_length", "Work items waiting for a thread-pool thread.");
        Registry.AddBeforeCollectCallback(() =>
        {
            var current = clamd.Current;
            inFlight.Set(slots.InFlight);
            up.Set(current.Up ? 1 : 0);
            breakerOpen.Set(availability.IsDown ? 1 : 0);
            SetOrHide(canaryPassing.WithLabels(), canary.IsEnabled ? canary.Last is { Problem: null } ? 1 : 0 : null);
            SetOrHide(signatureVersion.WithLabels(), current.Version?.SignatureVersion);
            SetOrHide(signatureAge.WithLabels(), clamd.SignatureAge?.TotalSeconds);
            SetOrHide(queue.WithLabels(), current.Stats?.QueueItems);
            foreach (var (state, value) in new (string, int?)[] { ("live", current.Stats?.ThreadsLive), ("idle", current.Stats?.ThreadsIdle), ("max", current.Stats?.ThreadsMax) })
            {
                SetOrHide(threads.WithLabels(state), value);
            }

            using var process = Process.GetCurrentProcess();
            cpu.IncTo(process.TotalProcessorTime.TotalSeconds);
            resident.Set(Environment.WorkingSet);
            heap.Set(GC.GetTotalMemory(forceFullCollection: false));
            threadPoolQueue.Set(ThreadPool.PendingWorkItemCount);
        });
    }

    /// <summary>
    /// For clamav-rest's two counters, whose names do not end in <c>_total</c>: OpenMetrics allows exemplars only on
    /// <c>_total</c> and <c>_bucket</c> samples, and Prometheus drops the whole scrape when one sits elsewhere. The
    /// default provider attaches the current trace to every increment made during a traced request.
    /// </summary>
    private static CounterConfiguration WithoutExemplars() => new()
    {
        ExemplarBehavior = new ExemplarBehavior { DefaultExemplarProvider = (_, _) => Exemplar.None },
    };

    /// <summary>What <c>GET /metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public Counter Scans { get; }

    public Counter Errors { get; }

    public Counter Bytes { get; }

    public Histogram Duration { get; }

    public Counter ClamdConnectionFailures { get; }

    public Counter Retries { get; }

    public Counter FoundViruses { get; }

    public Counter DeprecatedHits { get; }

    public Counter BucketRecords { get; }

    public Counter WriteBacks { get; }

    private static void SetOrHide(Gauge.Child gauge, double? value)
    {
        if (value is { } known)
        {
            gauge.Set(known);
            gauge.Publish();
        }
        else
        {
            gauge.Unpublish();
        }
    }
}
