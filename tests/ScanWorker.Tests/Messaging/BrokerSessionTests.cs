using System.Net;
using System.Text.Json;
using ScanWorker.Contracts;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Messaging;

/// <summary>A broker that refuses the worker's login at start (a user created later, a rotated password) must not leave it faulted for good.</summary>
[RealServers]
public sealed class BrokerSessionTests(TestServers servers)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    // Diagnostics/Log.cs: broker session failed / restored.
    private const int BrokerFailedEventId = 1009;
    private const int BrokerRestoredEventId = 1010;
    private const int ConsumingEventId = 1013;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 180_000)]
    public async Task A_worker_whose_broker_user_is_created_after_it_started_names_the_cause_then_heals_without_a_restart()
    {
        var broker = await servers.RabbitMqAsync();
        var user = $"late-{Guid.NewGuid():N}"[..17];
        var password = Guid.NewGuid().ToString("N");
        await using var listener = await ResultListener.StartAsync(broker, Token);
        await using var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["RabbitMq:User"] = user;
            settings["RabbitMq:Pass"] = password;
        }, waitForQueues: false);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "clean.txt"), TestContent.CleanText, Token);
        using var http = worker.CreateHttpClient();

        var failed = await worker.Logs.FirstAsync(BrokerFailedEventId, Timeout);
        using var ready = await http.GetAsync("/health/ready", Token);
        var readiness = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(Token)).RootElement;
        using var live = await http.GetAsync("/health/live", Token);
        await servers.CreateBrokerUserAsync(user, password, broker.VirtualHost);
        await worker.Logs.FirstAsync(BrokerRestoredEventId, Timeout);
        // Restored is said at the first endpoint back; a request sent before its queue is declared again would be unroutable.
        await worker.Logs.WaitForAsync(ConsumingEventId, message => message.EndsWith(worker.Queue, StringComparison.Ordinal), Timeout);
        var id = Guid.NewGuid();
        await worker.SendAsync(new ScanRequested { ScanId = id, Target = new ScanTarget { Path = "clean.txt" } });
        var result = await listener.WaitForAsync(id, Timeout);

        Assert.Contains($"ACCESS_REFUSED for user {user}", failed, StringComparison.Ordinal);
        Assert.DoesNotContain(password, failed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains($"ACCESS_REFUSED for user {user}", readiness.GetProperty("checks").GetProperty("broker").GetProperty("description").GetString(),
            StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("ScanClean", result.Kind);
        // One line per cause, never one per attempt; a second cause may show between the user's creation and its
        // permissions (the virtual host refused), which is the truth at that moment.
        var causes = worker.Logs.MessagesOf(BrokerFailedEventId);
        Assert.Equal(causes.Count, causes.Distinct(StringComparer.Ordinal).Count());
        Assert.InRange(causes.Count, 1, 2);
    }
}
