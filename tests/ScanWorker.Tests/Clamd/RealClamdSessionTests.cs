using ScanWorker.Clamd;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Clamd;

/// <summary>
/// Shared IDSESSION connections against the real clamd: many scans at once over a few sessions each get their own
/// verdict, a stream clamd refuses ends its session without harming the next scan, and a clamd restart between scans
/// costs no scan.
/// </summary>
[RealServers]
public sealed class RealClamdSessionTests(TestServers servers)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task Verdicts_stay_with_their_own_scans_when_many_share_a_few_sessions()
    {
        using var clamd = ClamdHarness.For((await servers.ClamdAsync()).Tcp, options => options.MaxConcurrentScans = 3);
        // Alternating runs of infected and clean content, 16 callers at once over 3 sessions.
        var contents = Enumerable.Range(0, 240)
            .Select(i => i % 5 is 1 or 2 ? TestContent.Zip($"{i}.txt", TestContent.Eicar) : TestContent.Unique(512 + (i * 37 % 4096)))
            .ToArray();
        var next = -1;
        var verdicts = new ClamdReply[contents.Length];

        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var i && i < contents.Length)
            {
                verdicts[i] = (await clamd.Client.ScanAsync(contents[i], Token)).Reply;
            }
        }));

        for (var i = 0; i < contents.Length; i++)
        {
            Assert.True(i % 5 is 1 or 2 ? verdicts[i] is ClamdReply.Infected : verdicts[i] is ClamdReply.Clean, $"scan {i}: {verdicts[i]}");
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_stream_over_clamds_limit_ends_its_session_and_the_next_scans_are_right()
    {
        var server = await servers.ClamdAsync();
        using var clamd = ClamdHarness.For(server.Tcp, options => options.MaxConcurrentScans = 1);

        var before = await clamd.Client.ScanAsync(TestContent.CleanText, Token);
        var tooLarge = await clamd.Client.ScanPatternAsync(server.StreamMaxBytes + 1, Token);
        var infected = await clamd.Client.ScanAsync(TestContent.Eicar, Token);
        var clean = await clamd.Client.ScanAsync(TestContent.CleanText, Token);

        Assert.IsType<ClamdReply.Clean>(before.Reply);
        Assert.IsType<ClamdReply.TooLarge>(tooLarge.Reply);
        Assert.IsType<ClamdReply.Infected>(infected.Reply);
        Assert.IsType<ClamdReply.Clean>(clean.Reply);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_clamd_restart_between_scans_costs_no_scan()
    {
        var clamd = await servers.StartPrivateClamdAsync();
        try
        {
            using var client = ClamdHarness.For(clamd.Address, options => options.MaxConcurrentScans = 2);
            await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => client.Client.ScanAsync(TestContent.Unique(1000), Token)));

            await clamd.StopAsync();
            await clamd.StartAsync();
            var afterRestart = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => client.Client.ScanAsync(TestContent.Eicar, Token)));

            Assert.All(afterRestart, answer => Assert.IsType<ClamdReply.Infected>(answer.Reply));
        }
        finally
        {
            await clamd.StopAsync();
        }
    }
}
