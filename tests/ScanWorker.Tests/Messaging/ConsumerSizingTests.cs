using ScanWorker.Clamd;
using ScanWorker.Messaging;
using ScanWorker.Sources;

namespace ScanWorker.Tests.Messaging;

/// <summary>
/// Intake runs ahead of the clamd slots: twice as many messages in flight as slots, so a slot freed by a finished
/// scan finds the next stream opened while the last result is still being published and acknowledged; and where S3
/// is configured, S3:ReadAhead more, so a GET's latency never leaves a slot idle. A worker without S3 takes no more
/// than it can use.
/// </summary>
public sealed class ConsumerSizingTests
{
    [Theory]
    [InlineData(null, null, 20)]
    [InlineData(null, 4, 8)]
    [InlineData(3, 4, 3)]
    public void Messages_in_flight_default_to_twice_the_scan_slots_without_S3(int? configured, int? slots, int expected)
    {
        var concurrency = ScanQueuePolicy.LiveConcurrency(
            new MessagingOptions { ConcurrentMessageLimit = configured }, new ClamdOptions { MaxConcurrentScans = slots },
            new S3Options());

        Assert.Equal(expected, concurrency);
    }

    [Theory]
    [InlineData(null, 4, 32, 40)]
    [InlineData(null, 4, 0, 8)]
    [InlineData(null, null, 5, 25)]
    [InlineData(12, 4, 32, 12)]
    public void With_S3_configured_the_read_ahead_comes_on_top_unless_the_limit_is_set(
        int? configured, int? slots, int readAhead, int expected)
    {
        var s3 = new S3Options { ServiceUrl = "http://127.0.0.1:9000", ReadAhead = readAhead };

        var concurrency = ScanQueuePolicy.LiveConcurrency(
            new MessagingOptions { ConcurrentMessageLimit = configured }, new ClamdOptions { MaxConcurrentScans = slots }, s3);

        Assert.Equal(expected, concurrency);
    }

    [Fact]
    public void The_default_read_ahead_counts_only_where_S3_can_be_reached()
    {
        Assert.Equal(32, S3Access.ReadAheadOf(new S3Options { Region = "eu-west-1" }));
        Assert.Equal(0, S3Access.ReadAheadOf(new S3Options()));
    }
}
