using ScanWorker.Contracts;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Messaging;

/// <summary>Load, a scanner that goes away, retries that run out, and shutdown with scans in flight.</summary>
[RealServers]
public sealed class QueueResilienceTests(TestServers servers)
{
    private static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(120);

    // Diagnostics/Log.cs: "Scan {ScanId} failed transiently (retry ...)".
    private const int ScanRetryingEventId = 1002;

    // Diagnostics/Log.cs: "Consumption from {Queue} is paused while clamd is down ...".
    private const int ScanQueuePausedEventId = 1006;

    [Fact(Timeout = 300_000)]
    public async Task Two_hundred_requests_at_once_get_exactly_two_hundred_results_each_once()
    {
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await WorkerHost.StartAsync(servers);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "clean.txt"), TestContent.CleanText, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "eicar.com"), TestContent.Eicar, TestContext.Current.CancellationToken);
        var requests = Enumerable.Range(0, 200)
            .Select(i => new ScanRequested { ScanId = Guid.NewGuid(), Target = new ScanTarget { Path = i % 10 == 0 ? "eicar.com" : "clean.txt" } })
            .ToArray();

        await Task.WhenAll(requests.Select(worker.SendAsync));
        var results = await listener.WaitForAllAsync(requests.Select(request => request.ScanId), ResultTimeout);
        await worker.StopAsync();

        Assert.Equal(200, results.Select(result => result.ScanId).Distinct().Count());
        Assert.All(requests, request => Assert.Single(listener.AllFor(request.ScanId)));
        Assert.All(requests.Zip(results), pair =>
            Assert.Equal(pair.First.Target.Path == "eicar.com" ? "ScanInfected" : "ScanClean", pair.Second.Kind));
        Assert.Equal(0u, await worker.CountMessagesAsync(worker.Queue));
    }

    [Fact(Timeout = 300_000)]
    public async Task When_clamd_goes_away_mid_batch_the_queue_pauses_without_spending_retries_and_every_request_ends_with_its_true_verdict()
    {
        var clamd = await servers.StartPrivateClamdAsync();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Clamd:Address"] = clamd.Address.ToString();
            settings["Messaging:RetryLimit"] = "1";
        });
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "clean.txt"), TestContent.CleanText, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "eicar.com"), TestContent.Eicar, TestContext.Current.CancellationToken);
        ScanRequested Request(int i) => new() { ScanId = Guid.NewGuid(), Target = new ScanTarget { Path = i % 3 == 0 ? "eicar.com" : "clean.txt" } };
        var before = Enumerable.Range(0, 10).Select(Request).ToArray();
        var during = Enumerable.Range(0, 30).Select(Request).ToArray();

        await Task.WhenAll(before.Select(worker.SendAsync));
        await listener.WaitForAllAsync(before.Select(request => request.ScanId), ResultTimeout);
        await clamd.StopAsync();
        await worker.Logs.FirstAsync(ScanQueuePausedEventId, ResultTimeout);
        await Task.WhenAll(during.Select(worker.SendAsync));
        var waiting = await worker.CountMessagesAsync(worker.Queue);
        await clamd.StartAsync();
        var results = await listener.WaitForAllAsync([.. before.Concat(during).Select(request => request.ScanId)], ResultTimeout);

        Assert.Equal((uint)during.Length, waiting);
        Assert.All(before.Concat(during).Zip(results), pair =>
            Assert.Equal(pair.First.Target.Path == "eicar.com" ? "ScanInfected" : "ScanClean", pair.Second.Kind));
        Assert.All(during, request => Assert.Single(listener.AllFor(request.ScanId)));
        Assert.DoesNotContain(worker.Logs.MessagesOf(ScanRetryingEventId),
            message => during.Any(request => message.Contains(request.ScanId.ToString(), StringComparison.Ordinal)));
        Assert.Equal(0u, await worker.CountMessagesAsync(worker.ErrorQueue));
    }

    [Fact(Timeout = 120_000)]
    public async Task Retries_that_run_out_publish_a_transient_error_and_leave_the_message_in_the_error_queue()
    {
        // A clamd that is alive (PONG) but drops every scan: a transient failure the breaker does not cover.
        await using var dropping = FakeClamd.Start((connection, stop) => connection.ReadCommandAsync(stop));
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Clamd:Address"] = dropping.Address.ToString();
            settings["Clamd:Canary:Enabled"] = "false";
            settings["Clamd:MaxConcurrentScans"] = "2";
            settings["Messaging:RetryLimit"] = "2";
        });
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "clean.txt"), TestContent.CleanText, TestContext.Current.CancellationToken);
        var id = Guid.NewGuid();

        await worker.SendAsync(new ScanRequested { ScanId = id, Target = new ScanTarget { Path = "clean.txt" } });
        var result = await listener.WaitForAsync(id, ResultTimeout);
        await worker.StopAsync();

        Assert.Equal(("ScanError", "ScannerUnavailable", true), (result.Kind, result.Reason, result.Transient));
        Assert.Single(listener.AllFor(id));
        Assert.Equal(1u, await worker.CountMessagesAsync(worker.ErrorQueue));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_scan_cut_off_by_shutdown_publishes_nothing_and_is_redelivered_to_the_next_worker()
    {
        var held = 0;
        var allHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A clamd that takes the stream and never answers: every scan is still in flight at shutdown.
        await using var stuck = FakeClamd.Start(async (connection, stop) =>
        {
            await connection.ReadCommandAsync(stop);
            if (Interlocked.Increment(ref held) == 4)
            {
                allHeld.TrySetResult();
            }

            await connection.HoldSilentlyAsync(stop);
        });
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        var first = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Clamd:Address"] = stuck.Address.ToString();
            settings["Clamd:Canary:Enabled"] = "false";
            settings["Clamd:MaxConcurrentScans"] = "4";
            settings["Messaging:DrainTimeout"] = "00:00:01";
        });
        await File.WriteAllBytesAsync(Path.Combine(first.MountRoot, "eicar.com"), TestContent.Eicar, TestContext.Current.CancellationToken);
        var requests = Enumerable.Range(0, 4)
            .Select(_ => new ScanRequested { ScanId = Guid.NewGuid(), Target = new ScanTarget { Path = "eicar.com" } })
            .ToArray();
        await Task.WhenAll(requests.Select(first.SendAsync));
        await allHeld.Task.WaitAsync(ResultTimeout, TestContext.Current.CancellationToken);

        await first.DisposeAsync();
        Assert.All(requests, request => Assert.Empty(listener.AllFor(request.ScanId)));
        await using var second = await WorkerHost.StartAsync(servers, queue: first.Queue, mountRoot: first.MountRoot);
        var results = await listener.WaitForAllAsync(requests.Select(request => request.ScanId), ResultTimeout);

        Assert.All(results, result => Assert.Equal("ScanInfected", result.Kind));
        Assert.All(requests, request => Assert.Single(listener.AllFor(request.ScanId)));
        Assert.Equal(0u, await second.CountMessagesAsync(second.ErrorQueue));
    }

    [Fact(Timeout = 180_000)]
    public async Task Scans_that_finish_within_the_drain_timeout_are_published_once_and_not_redelivered()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = 0;
        var allHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var slow = FakeClamd.Start(async (connection, stop) =>
        {
            if (await connection.ReadCommandAsync(stop) != "INSTREAM")
            {
                await connection.ReplyAsync("ClamAV 1.4.6", stop);
                return;
            }

            await connection.ReadInStreamAsync(stop);
            if (Interlocked.Increment(ref held) == 3)
            {
                allHeld.TrySetResult();
            }

            await release.Task.WaitAsync(stop);
            await connection.ReplyAsync("stream: OK", stop);
        });
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Clamd:Address"] = slow.Address.ToString();
            settings["Clamd:Canary:Enabled"] = "false";
            settings["Clamd:MaxConcurrentScans"] = "3";
            settings["Messaging:DrainTimeout"] = "00:00:30";
        });
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "clean.txt"), TestContent.CleanText, TestContext.Current.CancellationToken);
        var requests = Enumerable.Range(0, 3)
            .Select(_ => new ScanRequested { ScanId = Guid.NewGuid(), Target = new ScanTarget { Path = "clean.txt" } })
            .ToArray();
        await Task.WhenAll(requests.Select(worker.SendAsync));
        await allHeld.Task.WaitAsync(ResultTimeout, TestContext.Current.CancellationToken);

        var stopping = worker.DisposeAsync().AsTask();
        release.SetResult();
        await stopping;
        var results = await listener.WaitForAllAsync(requests.Select(request => request.ScanId), ResultTimeout);

        Assert.All(results, result => Assert.Equal("ScanClean", result.Kind));
        Assert.All(requests, request => Assert.Single(listener.AllFor(request.ScanId)));
        Assert.Equal(0u, await worker.CountMessagesAsync(worker.Queue));
    }
}
