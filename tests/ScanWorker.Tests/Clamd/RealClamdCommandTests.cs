using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Clamd;

/// <summary>PING, VERSION and STATS against the real clamd, parsed from its real replies.</summary>
[RealServers]
public sealed class RealClamdCommandTests(TestServers servers)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 60_000)]
    public async Task Ping_is_answered_over_tcp_and_unix_socket()
    {
        var server = await servers.ClamdAsync();
        Assert.NotNull(server.Socket);
        using var tcp = ClamdHarness.For(server.Tcp);
        using var unix = ClamdHarness.For(server.Socket);

        await tcp.Client.PingAsync(Token);
        await unix.Client.PingAsync(Token);
    }

    [Fact(Timeout = 60_000)]
    public async Task Version_names_the_engine()
    {
        using var clamd = ClamdHarness.For((await servers.ClamdAsync()).Tcp);

        var version = await clamd.Client.GetVersionAsync(Token);

        Assert.Matches(@"^\d+\.\d+\.\d+", version.Engine);
        Assert.StartsWith("ClamAV ", version.Raw, StringComparison.Ordinal);
        // The test database is not a CVD, so clamd reports no signature version; real deployments do.
        Assert.Equal(version.Raw.Contains('/', StringComparison.Ordinal), version.SignatureVersion is not null);
    }

    [Fact(Timeout = 60_000)]
    public async Task Stats_report_threads_and_queue()
    {
        using var clamd = ClamdHarness.For((await servers.ClamdAsync()).Tcp);

        var stats = await clamd.Client.GetStatsAsync(Token);

        Assert.True(stats.ThreadsMax > 0);
        Assert.NotNull(stats.ThreadsLive);
        Assert.NotNull(stats.ThreadsIdle);
        Assert.NotNull(stats.QueueItems);
        Assert.StartsWith("THREADS: ", stats.ThreadsLine, StringComparison.Ordinal);
        Assert.StartsWith("STATE: ", stats.StateLine, StringComparison.Ordinal);
        Assert.Equal("1", stats.Pools);
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_a_configured_bound_scan_slots_follow_clamds_MaxThreads()
    {
        using var clamd = ClamdHarness.For((await servers.ClamdAsync()).Tcp);
        var stats = await clamd.Client.GetStatsAsync(Token);

        await clamd.Client.ScanAsync(TestContent.CleanText, Token);

        Assert.Equal(stats.ThreadsMax, clamd.Slots.Capacity);
        Assert.Equal(0, clamd.Slots.InFlight);
    }
}
