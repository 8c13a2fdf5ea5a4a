using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ScanWorker.Contracts;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Diagnostics;

/// <summary>/metrics and /health against a real worker, broker and clamd.</summary>
[RealServers]
public sealed class MetricsAndHealthTests(TestServers servers)
{
    private static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task Clamav_rests_two_counters_are_exported_at_zero_before_any_scan()
    {
        await using var worker = await WorkerHost.StartAsync(servers, settings => settings["Messaging:Enabled"] = "false");
        using var http = worker.CreateHttpClient();

        var samples = PrometheusSample.Parse(await http.GetStringAsync("/metrics", Token));

        Assert.Equal(0, Assert.Single(samples, sample => sample.Name == "no_of_found_viruses").Value);
        Assert.Equal(0, Assert.Single(samples, sample => sample.Name == "no_of_hits_on_deprecated_scan_endpoint").Value);
    }

    [Fact(Timeout = 120_000)]
    public async Task Metrics_answer_GET_only_as_clamav_rest_and_the_worker_says_its_version_without_changing_bodies()
    {
        await using var worker = await WorkerHost.StartAsync(servers, settings => settings["Messaging:Enabled"] = "false");
        using var http = worker.CreateHttpClient();

        using var post = await http.PostAsync("/metrics", new StringContent(string.Empty), Token);
        using var version = await http.GetAsync("/version", Token);
        using var live = await http.GetAsync("/health/live", Token);
        var samples = PrometheusSample.Parse(await http.GetStringAsync("/metrics", Token));
        var build = Assert.Single(samples, sample => sample.Name == "scanworker_build_info");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        var header = Assert.Single(version.Headers.GetValues("X-ScanWorker-Version"));
        Assert.Matches(@"^\d+\.\d+\.\d+", header);
        Assert.Matches("""^\{ "Clamav": """, await version.Content.ReadAsStringAsync(Token));
        Assert.Equal(header, Assert.Single(live.Headers.GetValues("X-ScanWorker-Version")));
        Assert.Equal((1, header), (build.Value, build.Labels["version"]));
    }

    [Fact(Timeout = 120_000)]
    public async Task Metrics_after_real_scans_count_clean_infected_and_error_results()
    {
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), Token);
        await using var worker = await WorkerHost.StartAsync(servers);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "clean.txt"), TestContent.CleanText, Token);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "eicar.com"), TestContent.Eicar, Token);
        var requests = new[] { "clean.txt", "clean.txt", "eicar.com", "missing.txt" }
            .Select(path => new ScanRequested { ScanId = Guid.NewGuid(), Target = new ScanTarget { Path = path } })
            .ToArray();

        await Task.WhenAll(requests.Select(worker.SendAsync));
        await listener.WaitForAllAsync(requests.Select(request => request.ScanId), ResultTimeout);
        using var http = worker.CreateHttpClient();
        using var response = await http.GetAsync("/metrics", Token);
        var text = await response.Content.ReadAsStringAsync(Token);
        var samples = PrometheusSample.Parse(text);
        double Sample(string name, params (string Key, string Value)[] labels) => samples
            .Where(s => s.Name == name && labels.All(label => s.Labels.TryGetValue(label.Key, out var v) && v == label.Value))
            .Sum(s => s.Value);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(2, Sample("scanworker_scans_total", ("source", "mount"), ("result", "clean")));
        Assert.Equal(1, Sample("scanworker_scans_total", ("source", "mount"), ("result", "infected")));
        Assert.Equal(1, Sample("scanworker_scans_total", ("source", "mount"), ("result", "error")));
        Assert.Equal(1, Sample("scanworker_scan_errors_total", ("reason", "NotFound")));
        Assert.Equal(1, Sample("no_of_found_viruses"));
        Assert.Equal(0, Sample("no_of_hits_on_deprecated_scan_endpoint"));
        Assert.Equal(2 * TestContent.CleanText.Length + TestContent.Eicar.Length, Sample("scanworker_scanned_bytes_total", ("source", "mount")));
        Assert.Equal(4, Sample("scanworker_scan_duration_seconds_count"));
        Assert.Equal(4, Sample("scanworker_scan_duration_seconds_bucket", ("le", "+Inf")));
        Assert.Equal(1, Sample("scanworker_clamd_up"));
        Assert.Equal(4, Sample("scanworker_clamd_threads", ("state", "max")));
        Assert.True(Sample("process_cpu_seconds_total") > 0);
        Assert.True(Sample("dotnet_jit_compilation_seconds_total") > 0);
        Assert.True(Sample("dotnet_jit_compiled_methods_total") > 0);
        Assert.True(Sample("process_resident_memory_bytes") > 0);
        Assert.True(Sample("dotnet_gc_heap_size_bytes") > 0);
        Assert.True(Sample("dotnet_gc_allocated_bytes_total") >= Sample("dotnet_gc_heap_size_bytes"));
        Assert.True(Sample("dotnet_gc_collections_total", ("generation", "0")) >= Sample("dotnet_gc_collections_total", ("generation", "2")));
        Assert.Contains("# TYPE dotnet_gc_collections_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE dotnet_gc_pause_seconds_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE dotnet_threadpool_queue_length gauge", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE scanworker_scans_in_flight gauge", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE scanworker_messages_retried_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE scanworker_clamd_connection_failures_total counter", text, StringComparison.Ordinal);
        // One log line per scan (event 1001) naming the scan, its source, verdict, bytes and duration.
        Assert.All(requests, request => Assert.Single(worker.Logs.Events,
            e => e.EventId == ScanCompletedEventId && e.Message.Contains(request.ScanId.ToString(), StringComparison.Ordinal)
                && e.Message.Contains("from mount", StringComparison.Ordinal) && e.Message.Contains(" ms ", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Prometheus asks for OpenMetrics first, and rejects the whole scrape when an exemplar sits on a sample that
    /// does not end in <c>_total</c> or <c>_bucket</c>: clamav-rest's <c>no_of_found_viruses</c> counted during a
    /// traced upload once did exactly that (found by scripts/monitoring/check.sh against a real Prometheus).
    /// </summary>
    [Fact(Timeout = 120_000)]
    public async Task OpenMetrics_scrape_after_traced_uploads_carries_exemplars_only_where_the_format_allows()
    {
        await using var worker = await WorkerHost.StartAsync(servers);
        using var http = worker.CreateHttpClient();
        foreach (var path in new[] { "/v2/scan", "/scan" })
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(TestContent.Eicar), "file", "eicar.com" } };
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
            request.Headers.Add("traceparent", $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01");
            using var scanned = await http.SendAsync(request, Token);
            Assert.Equal(HttpStatusCode.NotAcceptable, scanned.StatusCode);
        }

        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.Accept.ParseAdd("application/openmetrics-text;version=1.0.0;q=0.5");
        using var response = await http.SendAsync(scrape, Token);
        var lines = (await response.Content.ReadAsStringAsync(Token)).Split('\n');

        Assert.StartsWith("application/openmetrics-text", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains(lines, line => line.StartsWith("no_of_found_viruses 2", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("no_of_hits_on_deprecated_scan_endpoint 1", StringComparison.Ordinal));
        Assert.All(lines.Where(line => line.Contains(" # {", StringComparison.Ordinal)), line =>
            Assert.Matches(@"^[a-zA-Z_:][a-zA-Z0-9_:]*(_total|_bucket)[{ ]", line));
    }

    [Fact(Timeout = 180_000)]
    public async Task Readiness_fails_while_clamd_is_down_and_recovers_when_it_returns()
    {
        var clamd = await Step("private clamd started", servers.StartPrivateClamdAsync());
        await using var worker = await Step("worker started",
            WorkerHost.StartAsync(servers, settings => settings["Clamd:Address"] = clamd.Address.ToString()));
        using var http = worker.CreateHttpClient();

        await Step("canary passed", worker.Logs.FirstAsync(EngineCanaryPassedEventId, ResultTimeout));
        var up = await Step("ready while up", ReadyAsync(http));
        await Step("clamd stopped", clamd.StopAsync());
        await Step("clamd down logged", worker.Logs.FirstAsync(ClamdDownEventId, ResultTimeout));
        var down = await Step("ready while down", ReadyAsync(http));
        var live = await Step("live while down", http.GetAsync("/health/live", Token));
        await Step("clamd started again", clamd.StartAsync());
        await Step("clamd back logged", worker.Logs.FirstAsync(ClamdBackEventId, ResultTimeout));
        // The paused queue is started again on its own; the worker is stopped only once it consumes again.
        await Step("queue consuming again", worker.ScanQueueReadyAsync(times: 2, ResultTimeout));
        var back = await Step("ready again", ReadyAsync(http));

        Assert.Equal(HttpStatusCode.OK, up.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.Status);
        var clamdCheck = down.Body.GetProperty("checks").GetProperty("clamd");
        Assert.Equal("Unhealthy", clamdCheck.GetProperty("status").GetString());
        Assert.Contains("refuses connections", clamdCheck.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, back.Status);
    }

    [Fact(Timeout = 120_000)]
    public async Task Stale_signatures_turn_clean_into_StaleSignatures_leave_infected_infected_and_fail_readiness()
    {
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), Token);
        // The test database is not a CVD, so clamd reports no signature date: with a maximum age set, that is stale.
        await using var worker = await WorkerHost.StartAsync(servers, settings => settings["Clamd:MaxSignatureAge"] = "1.00:00:00");
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "clean.txt"), TestContent.CleanText, Token);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "eicar.com"), TestContent.Eicar, Token);
        var clean = Guid.NewGuid();
        var infected = Guid.NewGuid();

        await worker.SendAsync(new ScanRequested { ScanId = clean, Target = new ScanTarget { Path = "clean.txt" } });
        await worker.SendAsync(new ScanRequested { ScanId = infected, Target = new ScanTarget { Path = "eicar.com" } });
        var results = await listener.WaitForAllAsync([clean, infected], ResultTimeout);
        using var http = worker.CreateHttpClient();
        var ready = await ReadyAsync(http);

        Assert.Equal(("ScanError", "StaleSignatures"), (results[0].Kind, results[0].Reason));
        Assert.Equal(TestContent.CleanText.Length, results[0].ScannedBytes);
        Assert.Equal("ScanInfected", results[1].Kind);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.Equal("Unhealthy", ready.Body.GetProperty("checks").GetProperty("signatures").GetProperty("status").GetString());
        Assert.Single(worker.Logs.Events, e => e.EventId == SignaturesStaleEventId);
    }

    // Diagnostics/Log.cs: "Scan {ScanId} from {Source}: {Verdict} ...".
    private const int ScanCompletedEventId = 1001;

    // Diagnostics/Log.cs: the engine canary passed; clamd declared down; clamd back.
    private const int EngineCanaryPassedEventId = 2012;
    private const int ClamdDownEventId = 2008;
    private const int ClamdBackEventId = 2009;

    // Diagnostics/Log.cs: "Signatures are stale: ...", logged once per change.
    private const int SignaturesStaleEventId = 2006;

    /// <summary>Awaits one step and says when it ended, so a run that times out shows the step it waited in.</summary>
    private static async Task<T> Step<T>(string name, Task<T> step)
    {
        var result = await step;
        Said(name);
        return result;
    }

    private static async Task Step(string name, Task step)
    {
        await step;
        Said(name);
    }

    private static void Said(string step) => TestContext.Current.TestOutputHelper?.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {step}");

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/health/ready", Token);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement.Clone();
        return (response.StatusCode, body);
    }
}
