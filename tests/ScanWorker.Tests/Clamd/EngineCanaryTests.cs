using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using ScanWorker.Contracts;
using ScanWorker.Tests.Http;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Clamd;

/// <summary>
/// A real clamd whose signature database loads but cannot detect EICAR (what an empty, truncated or wrong update looks
/// like) must never produce a clean verdict, on any path; and the operator's own canary samples are held to account.
/// </summary>
[RealServers]
public sealed class EngineCanaryTests(TestServers servers)
{
    private static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(60);

    // Diagnostics/Log.cs: engine canary failed / passed.
    private const int CanaryFailedEventId = 2011;
    private const int CanaryPassedEventId = 2012;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 180_000)]
    public async Task A_blind_engine_gets_no_clean_verdict_out_on_REST_or_queue_fails_readiness_and_says_so_once()
    {
        var database = BlindDatabase();
        var clamd = await servers.StartPrivateClamdAsync(new Dictionary<string, string> { ["CLAMD_DB_DIR"] = database });
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), Token);
        await using var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Clamd:Address"] = clamd.Address.ToString();
            settings["Messaging:RetryLimit"] = "0";
        });
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "clean.txt"), TestContent.CleanText, Token);
        using var http = worker.CreateHttpClient();

        var eicar = await RestFacadeTests.PostFilesAsync(http, "/v2/scan", ("f", "eicar.com", TestContent.Eicar));
        var clean = await RestFacadeTests.PostFilesAsync(http, "/v2/scan", ("f", "clean.txt", TestContent.CleanText));
        var id = Guid.NewGuid();
        await worker.SendAsync(new ScanRequested { ScanId = id, Target = new ScanTarget { Path = "clean.txt" } });
        var queued = await listener.WaitForAsync(id, ResultTimeout);
        using var ready = await http.GetAsync("/health/ready", Token);
        var readiness = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(Token)).RootElement;
        var metrics = PrometheusSample.Parse(await http.GetStringAsync("/metrics", Token));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, eicar.Status);
        Assert.DoesNotContain("\"OK\"", eicar.Body, StringComparison.Ordinal);
        Assert.Contains("engine canary failed", eicar.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, clean.Status);
        Assert.Equal(("ScanError", "ScannerError", true), (queued.Kind, queued.Reason, queued.Transient));
        Assert.Contains("the built-in EICAR sample was not detected", queued.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var check = readiness.GetProperty("checks").GetProperty("engine-canary");
        Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
        Assert.Contains("EICAR", check.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, Assert.Single(metrics, sample => sample.Name == "scanworker_engine_canary_passing").Value);
        Assert.Single(worker.Logs.MessagesOf(CanaryFailedEventId));
        Assert.DoesNotContain(listener.AllFor(id), result => result.Kind == "ScanClean");
        Directory.Delete(database, recursive: true);
    }

    [Fact(Timeout = 180_000)]
    public async Task An_engine_that_learns_to_detect_again_is_trusted_again_at_the_next_canary_run()
    {
        var database = BlindDatabase();
        var clamd = await servers.StartPrivateClamdAsync(new Dictionary<string, string> { ["CLAMD_DB_DIR"] = database });
        await using var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Clamd:Address"] = clamd.Address.ToString();
            settings["Clamd:Canary:Interval"] = "00:00:01";
            settings["Messaging:Enabled"] = "false";
        });
        using var http = worker.CreateHttpClient();
        await worker.Logs.FirstAsync(CanaryFailedEventId, ResultTimeout);
        var blind = await RestFacadeTests.PostFilesAsync(http, "/v2/scan", ("f", "clean.txt", TestContent.CleanText));

        // The update that fixes it: a database that detects EICAR, loaded by a restart as a new pod would.
        await File.WriteAllTextAsync(Path.Combine(database, "eicar.ndb"),
            $"ScanWorker.Test.EICAR-NDB:0:*:{Convert.ToHexStringLower(TestContent.Eicar)}\n", Token);
        await clamd.StopAsync();
        await clamd.StartAsync();
        await worker.Logs.FirstAsync(CanaryPassedEventId, ResultTimeout);
        var trusted = await RestFacadeTests.PostFilesAsync(http, "/v2/scan", ("f", "clean.txt", TestContent.CleanText));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, blind.Status);
        Assert.Equal((HttpStatusCode.OK, """[{"Status":"OK","Description":"","FileName":"clean.txt"}]"""), trusted);
        Directory.Delete(database, recursive: true);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_must_be_clean_sample_that_is_detected_withholds_clean_answers_but_infected_ones_still_pass()
    {
        var mustBeClean = Directory.CreateTempSubdirectory("scanworker-canary-clean-").FullName;
        await File.WriteAllBytesAsync(Path.Combine(mustBeClean, "not-really-clean.com"), TestContent.Eicar, Token);
        await using var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Clamd:Canary:MustBeCleanDirectory"] = mustBeClean;
            settings["Messaging:Enabled"] = "false";
        });
        using var http = worker.CreateHttpClient();

        var clean = await RestFacadeTests.PostFilesAsync(http, "/v2/scan", ("f", "clean.txt", TestContent.CleanText));
        var infected = await RestFacadeTests.PostFilesAsync(http, "/v2/scan", ("f", "eicar.com", TestContent.Eicar));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, clean.Status);
        Assert.Contains("not-really-clean.com must be clean but was detected", clean.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotAcceptable, infected.Status);
        Assert.Contains("\"FOUND\"", infected.Body, StringComparison.Ordinal);
        Directory.Delete(mustBeClean, recursive: true);
    }

    [Fact(Timeout = 180_000)]
    public async Task The_operators_own_must_detect_samples_decide_when_the_built_in_one_is_off()
    {
        var detected = Directory.CreateTempSubdirectory("scanworker-canary-detect-").FullName;
        await File.WriteAllBytesAsync(Path.Combine(detected, "sample.com"), TestContent.Eicar, Token);
        var missed = Directory.CreateTempSubdirectory("scanworker-canary-missed-").FullName;
        await File.WriteAllBytesAsync(Path.Combine(missed, "unknown.bin"), RandomNumberGenerator.GetBytes(256), Token);

        var passing = await ScanCleanWithMustDetectAsync(detected);
        var failing = await ScanCleanWithMustDetectAsync(missed);

        Assert.Equal(HttpStatusCode.OK, passing.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.Status);
        Assert.Contains("unknown.bin was not detected", failing.Body, StringComparison.Ordinal);
        Directory.Delete(detected, recursive: true);
        Directory.Delete(missed, recursive: true);
    }

    private async Task<(HttpStatusCode Status, string Body)> ScanCleanWithMustDetectAsync(string directory)
    {
        await using var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Clamd:Canary:Eicar"] = "false";
            settings["Clamd:Canary:MustDetectDirectory"] = directory;
            settings["Messaging:Enabled"] = "false";
        });
        using var http = worker.CreateHttpClient();
        return await RestFacadeTests.PostFilesAsync(http, "/v2/scan", ("f", "clean.txt", TestContent.CleanText));
    }

    /// <summary>A database clamd loads happily that matches only bytes nobody will ever send.</summary>
    private static string BlindDatabase()
    {
        var directory = Directory.CreateTempSubdirectory("scanworker-blind-db-").FullName;
        File.WriteAllText(Path.Combine(directory, "blind.ndb"), string.Create(CultureInfo.InvariantCulture,
            $"ScanWorker.Test.Blind-NDB:0:*:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}\n"));
        return directory;
    }
}
