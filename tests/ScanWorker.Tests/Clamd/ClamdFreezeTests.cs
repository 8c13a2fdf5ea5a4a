using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ScanWorker.Contracts;
using ScanWorker.Tests.Http;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Clamd;

/// <summary>
/// A real clamd frozen with SIGSTOP still completes TCP connections (the kernel does) but never answers: callers must
/// hear so within seconds instead of waiting out Clamd:ScanTimeout, and queued work must wait, unharmed, for it.
/// </summary>
[RealServers]
[Collection(SequentialTests.Name)]
public sealed class ClamdFreezeTests(TestServers servers)
{
    private static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(90);

    // Diagnostics/Log.cs: clamd declared down; clamd back; queue paused.
    private const int ClamdDownEventId = 2008;
    private const int ClamdBackEventId = 2009;
    private const int ScanQueuePausedEventId = 1006;
    private const int ScanRetryingEventId = 1002;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 180_000)]
    public async Task A_REST_upload_to_a_frozen_clamd_gets_503_with_Retry_After_within_15_seconds_and_200_once_it_thaws()
    {
        var clamd = await servers.StartPrivateClamdAsync();
        await using var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Clamd:Address"] = clamd.Address.ToString();
            settings["Messaging:Enabled"] = "false";
        });
        using var http = worker.CreateHttpClient();
        var before = await RestFacadeTests.PostFilesAsync(http, "/v2/scan", ("f", "clean.txt", TestContent.CleanText));

        clamd.Freeze();
        try
        {
            var clock = Stopwatch.StartNew();
            using var form = new MultipartFormDataContent { { new ByteArrayContent(TestContent.Unique(4096)), "f", "frozen.bin" } };
            using var frozen = await http.PostAsync("/v2/scan", form, Token);
            var answeredAfter = clock.Elapsed;
            var body = await frozen.Content.ReadAsStringAsync(Token);
            using var ready = await http.GetAsync("/health/ready", Token);
            var readiness = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(Token)).RootElement;

            Assert.Equal(HttpStatusCode.OK, before.Status);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, frozen.StatusCode);
            Assert.True(answeredAfter < TimeSpan.FromSeconds(15), $"answered after {answeredAfter}");
            Assert.NotNull(frozen.Headers.RetryAfter?.Delta);
            Assert.Contains("did not answer PING", body, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("did not answer PING", readiness.GetProperty("checks").GetProperty("clamd").GetProperty("description").GetString(),
                StringComparison.Ordinal);
        }
        finally
        {
            clamd.Thaw();
        }

        await worker.Logs.FirstAsync(ClamdBackEventId, ResultTimeout);
        var after = await RestFacadeTests.PostFilesAsync(http, "/v2/scan", ("f", "eicar.com", TestContent.Eicar));
        Assert.Equal(HttpStatusCode.NotAcceptable, after.Status);
        Assert.Single(worker.Logs.MessagesOf(ClamdDownEventId));
    }

    [Fact(Timeout = 240_000)]
    public async Task Queued_scans_wait_for_a_frozen_clamd_without_spending_retries_and_all_end_with_their_true_verdicts()
    {
        var clamd = await servers.StartPrivateClamdAsync();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), Token);
        await using var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Clamd:Address"] = clamd.Address.ToString();
            settings["Messaging:RetryLimit"] = "1";
            settings["Messaging:DrainTimeout"] = "00:00:05";
        });
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "clean.txt"), TestContent.CleanText, Token);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "eicar.com"), TestContent.Eicar, Token);
        ScanRequested Request(int i) => new() { ScanId = Guid.NewGuid(), Target = new ScanTarget { Path = i % 4 == 0 ? "eicar.com" : "clean.txt" } };
        var inFlight = Enumerable.Range(0, 8).Select(Request).ToArray();
        var later = Enumerable.Range(0, 20).Select(Request).ToArray();

        clamd.Freeze();
        uint waiting;
        try
        {
            // Sent into the freeze before the heartbeat has noticed it: these are in flight on a clamd that never answers.
            await Task.WhenAll(inFlight.Select(worker.SendAsync));
            await worker.Logs.FirstAsync(ScanQueuePausedEventId, ResultTimeout);
            await Task.WhenAll(later.Select(worker.SendAsync));
            waiting = await worker.CountMessagesAsync(worker.Queue);
        }
        finally
        {
            clamd.Thaw();
        }

        var all = inFlight.Concat(later).ToArray();
        var results = await listener.WaitForAllAsync(all.Select(request => request.ScanId), ResultTimeout);

        Assert.InRange(waiting, (uint)later.Length, (uint)all.Length);
        Assert.All(all.Zip(results), pair => Assert.Equal(pair.First.Target.Path == "eicar.com" ? "ScanInfected" : "ScanClean", pair.Second.Kind));
        Assert.All(all, request => Assert.Single(listener.AllFor(request.ScanId)));
        Assert.Empty(worker.Logs.MessagesOf(ScanRetryingEventId));
        Assert.Equal(0u, await worker.CountMessagesAsync(worker.ErrorQueue));
    }
}
