using ScanWorker.Clamd;

namespace ScanWorker.Tests.Clamd;

public sealed class ClamdStatsTests
{
    private const string Busy =
        "POOLS: 1\n\nSTATE: VALID PRIMARY\nTHREADS: live 3  idle 1 max 10 idle-timeout 30\n" +
        "QUEUE: 2 items min_wait: 0.000012 max_wait: 0.000093 avg_wait: 0.000052\n" +
        "\tINSTREAM 0.512345 instream(10.0.0.7@51234)\n\n" +
        "MEMSTATS: heap N/A mmap N/A used N/A free N/A releasable N/A pools 1 pools_used 900.000M pools_total 910.000M\nEND";

    [Fact]
    public void Threads_queue_and_raw_lines_are_read()
    {
        Assert.True(ClamdStats.TryParse(Busy, out var stats));

        Assert.Equal("1", stats!.Pools);
        Assert.Equal(3, stats.ThreadsLive);
        Assert.Equal(1, stats.ThreadsIdle);
        Assert.Equal(10, stats.ThreadsMax);
        Assert.Equal(30, stats.IdleTimeoutSeconds);
        Assert.Equal(2, stats.QueueItems);
        Assert.Equal("STATE: VALID PRIMARY", stats.StateLine);
        Assert.Equal("THREADS: live 3  idle 1 max 10 idle-timeout 30", stats.ThreadsLine);
        Assert.StartsWith("QUEUE: 2 items", stats.QueueLine, StringComparison.Ordinal);
        Assert.StartsWith("MEMSTATS: heap N/A", stats.MemstatsLine, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_lines_leave_numbers_unknown()
    {
        Assert.True(ClamdStats.TryParse("POOLS: 1\nEND", out var stats));

        Assert.Null(stats!.ThreadsMax);
        Assert.Null(stats.QueueItems);
        Assert.Equal(string.Empty, stats.ThreadsLine);
    }

    [Theory]
    [InlineData("COMMAND UNAVAILABLE")]
    [InlineData("POOLS: 1\nTHREADS: live 1  idle 0 max 4 idle-timeout 30")]
    public void A_reply_without_END_is_not_stats(string reply)
    {
        Assert.False(ClamdStats.TryParse(reply, out _));
    }
}
