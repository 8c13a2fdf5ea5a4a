using ScanWorker.Clamd;
using ScanWorker.Messaging;

namespace ScanWorker.Tests.Messaging;

/// <summary>
/// Intake runs ahead of the clamd slots: twice as many messages in flight as slots, so a slot freed by a finished
/// scan finds the next stream opened while the last result is still being published and acknowledged.
/// </summary>
public sealed class ConsumerSizingTests
{
    [Theory]
    [InlineData(null, null, 20)]
    [InlineData(null, 4, 8)]
    [InlineData(3, 4, 3)]
    public void Messages_in_flight_default_to_twice_the_scan_slots(int? configured, int? slots, int expected)
    {
        var concurrency = ScanQueuePolicy.LiveConcurrency(
            new MessagingOptions { ConcurrentMessageLimit = configured }, new ClamdOptions { MaxConcurrentScans = slots });

        Assert.Equal(expected, concurrency);
    }
}
