using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScanWorker.Messaging;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Messaging;

/// <summary>
/// The broker session's failure line (1009) is said once per cause while the session is down, however its faults
/// interleave: endpoints report them independently, so an attempt begun before a newer cause can report the older one
/// again.
/// </summary>
public sealed class BrokerSessionCauseTests
{
    private const int BrokerFailedEventId = 1009;

    [Fact]
    public async Task A_cause_reported_again_after_another_is_not_logged_twice_and_stays_the_current_problem()
    {
        using var logs = new LogCapture();
        using var factory = new LoggerFactory([logs]);
        await using var services = new ServiceCollection().BuildServiceProvider();
        var broker = Options.Create(new RabbitMqTransportOptions { Host = "rabbitmq", Port = 5672, User = "scanworker", VHost = "/" });
        using var session = new BrokerSession(services, broker, TimeProvider.System, factory.CreateLogger<BrokerSession>());
        var refused = new InvalidOperationException("ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN");
        var vhost = new InvalidOperationException("NOT_ALLOWED - vhost / not found");

        foreach (var fault in new[] { refused, vhost, refused })
        {
            await session.StartFaulted(null!, fault);
        }

        var lines = logs.MessagesOf(BrokerFailedEventId);
        Assert.Equal(2, lines.Count);
        Assert.Equal(lines.Count, lines.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("ACCESS_REFUSED", session.Problem, StringComparison.Ordinal);
    }
}
