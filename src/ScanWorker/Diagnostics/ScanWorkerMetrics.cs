namespace ScanWorker.Diagnostics;

/// <summary>Every metric of the worker, the one declaration of each (see <see cref="MetricDefinition"/>).</summary>
public static class ScanWorkerMetrics
{
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    public static readonly MetricDefinition Scans = new("scanworker_scans", MetricKind.Counter,
        "Scans finished, by source (s3, mount, http) and result (clean, infected, error).") { Labels = ["source", "result"] };

    public static readonly MetricDefinition ScanErrors = new("scanworker_scan_errors", MetricKind.Counter,
        "Scans that ended in an error, by reason.") { Labels = ["reason"] };

    public static readonly MetricDefinition ScannedBytes = new("scanworker_scanned_bytes", MetricKind.Counter,
        "Bytes streamed to clamd, by source.") { Unit = "By", Labels = ["source"] };

    public static readonly MetricDefinition ScanDuration = new("scanworker_scan_duration_seconds", MetricKind.Histogram,
        "Time from request to verdict, by source and result.") { Unit = "s", Labels = ["source", "result"], Buckets = DurationBuckets };

    public static readonly MetricDefinition ClamdConnectionFailures = new("scanworker_clamd_connection_failures", MetricKind.Counter,
        "Scans that could not reach clamd (refused, reset or dropped connections).");

    public static readonly MetricDefinition MessagesRetried = new("scanworker_messages_retried", MetricKind.Counter,
        "Scan requests retried after a transient failure.");

    public static readonly MetricDefinition FoundViruses = new("no_of_found_viruses", MetricKind.Counter,
        "The total number of found viruses") { ClamavRestName = true };

    public static readonly MetricDefinition DeprecatedScanEndpointHits = new("no_of_hits_on_deprecated_scan_endpoint", MetricKind.Counter,
        "The number of hits on the deprecated /scan endpoint. If this is not 0, inform your clients to adjust their code to use the /v2/scan endpoint instead.")
    { ClamavRestName = true };

    public static readonly MetricDefinition BucketEventRecords = new("scanworker_bucket_event_records", MetricKind.Counter,
        "Records of bucket notifications, by outcome (queued, ignored, refused, test, unreadable).") { Labels = ["outcome"] };

    public static readonly MetricDefinition WriteBacks = new("scanworker_write_backs", MetricKind.Counter,
        "Verdicts written back to S3, by action (tag, delete, quarantine) and result (done, skipped, failed).") { Labels = ["action", "result"] };

    public static readonly MetricDefinition RescanObjects = new("scanworker_rescan_objects", MetricKind.Counter,
        "Objects of each rescan, by state: listed, queued, skipped (by the worker that listed the page), clean, infected, error (by the worker that scanned it); sum over workers.")
    { Labels = ["rescan", "state"] };

    public static readonly MetricDefinition RescansRunning = new("scanworker_rescans_running", MetricKind.Gauge,
        "Rescans being counted by this worker (the progress queue's active consumer), not yet complete.");

    public static readonly MetricDefinition ScansInFlight = new("scanworker_scans_in_flight", MetricKind.Gauge,
        "Scans holding a clamd slot right now.");

    public static readonly MetricDefinition ClamdUp = new("scanworker_clamd_up", MetricKind.Gauge,
        "1 when clamd answered the last PING, else 0.");

    public static readonly MetricDefinition ClamdBreakerOpen = new("scanworker_clamd_breaker_open", MetricKind.Gauge,
        "1 while clamd is declared down or frozen by the heartbeat: scans fail fast and the scan queues pause.");

    public static readonly MetricDefinition EngineCanaryPassing = new("scanworker_engine_canary_passing", MetricKind.Gauge,
        "1 while clamd detects every canary sample; 0 when it failed or has not run (no clean verdict leaves then); absent when off.");

    public static readonly MetricDefinition BuildInfo = new("scanworker_build_info", MetricKind.Gauge,
        "Always 1; the worker's version in the label.") { Labels = ["version"] };

    public static readonly MetricDefinition ClamdSignatureVersion = new("scanworker_clamd_signature_version", MetricKind.Gauge,
        "Signature database version clamd reports (daily.cvd); absent when it reports none.");

    public static readonly MetricDefinition ClamdSignatureAge = new("scanworker_clamd_signature_age_seconds", MetricKind.Gauge,
        "Age of clamd's signature database; absent when clamd reports no date.") { Unit = "s" };

    public static readonly MetricDefinition ClamdThreads = new("scanworker_clamd_threads", MetricKind.Gauge,
        "clamd threads from STATS, by state (live, idle, max).") { Labels = ["state"] };

    public static readonly MetricDefinition ClamdQueueItems = new("scanworker_clamd_queue_items", MetricKind.Gauge,
        "Items in clamd's queue from STATS.");

    public static readonly MetricDefinition ProcessCpuSeconds = new("process_cpu_seconds", MetricKind.ObservedCounter,
        "Total user and system CPU time spent in seconds.") { Unit = "s" };

    public static readonly MetricDefinition ProcessResidentMemory = new("process_resident_memory_bytes", MetricKind.Gauge,
        "Resident memory size in bytes.") { Unit = "By" };

    public static readonly MetricDefinition GcHeapSize = new("dotnet_gc_heap_size_bytes", MetricKind.Gauge,
        "Bytes currently allocated on the GC heap.") { Unit = "By" };

    public static readonly MetricDefinition ThreadPoolQueueLength = new("dotnet_threadpool_queue_length", MetricKind.Gauge,
        "Work items waiting for a thread-pool thread.");

    public static readonly MetricDefinition JitCompilationSeconds = new("dotnet_jit_compilation_seconds", MetricKind.ObservedCounter,
        "Time the JIT has spent compiling, all threads; still rising under steady load means the worker is still warming up.") { Unit = "s" };

    public static readonly MetricDefinition JitCompiledMethods = new("dotnet_jit_compiled_methods", MetricKind.ObservedCounter,
        "Methods the JIT has compiled, every tier.");

    public static readonly MetricDefinition GcAllocatedBytes = new("dotnet_gc_allocated_bytes", MetricKind.ObservedCounter,
        "Bytes allocated on the GC heap since the process started; its rate over the scan rate is the allocation per scan.") { Unit = "By" };

    public static readonly MetricDefinition GcCollections = new("dotnet_gc_collections", MetricKind.ObservedCounter,
        "Garbage collections since the process started, by generation (0, 1, 2).") { Labels = ["generation"] };

    public static readonly MetricDefinition GcPauseSeconds = new("dotnet_gc_pause_seconds", MetricKind.ObservedCounter,
        "Time the runtime has paused threads for garbage collections.") { Unit = "s" };
}
