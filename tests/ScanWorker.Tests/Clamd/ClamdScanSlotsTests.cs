using ScanWorker.Clamd;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Clamd;

public sealed class ClamdScanSlotsTests
{
    private const string StatsWithMax3 =
        "POOLS: 1\n\nSTATE: VALID PRIMARY\nTHREADS: live 1  idle 0 max 3 idle-timeout 30\nQUEUE: 0 items\nEND";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 30_000)]
    public async Task Never_more_scans_in_flight_than_configured()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var twoInside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inside = 0;
        var mostInside = 0;
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            await connection.ReadCommandAsync(stop);
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref mostInside, now);
            if (now == 2)
            {
                twoInside.TrySetResult();
            }

            await connection.ReadInStreamAsync(stop);
            await gate.Task.WaitAsync(stop);
            // Leave before answering: the client may start its next scan as soon as it has the reply.
            Interlocked.Decrement(ref inside);
            await connection.ReplyAsync("stream: OK", stop);
        });
        using var clamd = ClamdHarness.For(fake.Address, options => options.MaxConcurrentScans = 2);

        var scans = Enumerable.Range(0, 6).Select(_ => clamd.Client.ScanAsync(TestContent.CleanText, Token)).ToArray();
        await twoInside.Task.WaitAsync(Token);

        Assert.Equal(2, clamd.Slots.InFlight);
        Assert.Equal(2, clamd.Slots.Capacity);
        Assert.Equal(2, fake.Accepted);
        gate.SetResult();
        var results = await Task.WhenAll(scans);

        Assert.All(results, result => Assert.IsType<ClamdReply.Clean>(result.Reply));
        // The six scans ran over the two sessions: never more connections than slots.
        Assert.Equal(2, fake.Accepted);
        Assert.Equal(2, Volatile.Read(ref mostInside));
        Assert.Equal(0, clamd.Slots.InFlight);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(StatsWithMax3, 3)]
    [InlineData("COMMAND UNAVAILABLE", ClamdScanSlots.ClamdDefaultMaxThreads)]
    [InlineData("POOLS: 1\nEND", ClamdScanSlots.ClamdDefaultMaxThreads)]
    public async Task Unset_bound_is_clamds_MaxThreads_from_STATS_or_its_default_when_it_will_not_say(string statsReply, int expected)
    {
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            if (await connection.ReadCommandAsync(stop) == "STATS")
            {
                await connection.ReplyAsync(statsReply, stop);
                return;
            }

            await connection.ReadInStreamAsync(stop);
            await connection.ReplyAsync("stream: OK", stop);
        });
        using var clamd = ClamdHarness.For(fake.Address);

        await clamd.Client.ScanAsync(TestContent.CleanText, Token);

        Assert.Equal(expected, clamd.Slots.Capacity);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_unreachable_clamd_leaves_the_bound_unknown_so_the_next_scan_asks_again()
    {
        using var clamd = ClamdHarness.For(ClamdAddress.Tcp("127.0.0.1", FreePort.Next()));

        await Assert.ThrowsAsync<ClamdUnavailableException>(
            () => clamd.Client.ScanAsync(TestContent.CleanText, Token));

        Assert.Null(clamd.Slots.Capacity);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
