using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Clamd;

namespace ScanWorker.Messaging;

/// <summary>
/// How scan requests are received: the queue name and its concurrency (sized to clamd unless configured);
/// the rest is <see cref="ScanQueuePolicy"/>'s policy.
/// </summary>
public sealed class ScanRequestedConsumerDefinition : ConsumerDefinition<ScanRequestedConsumer>
{
    private readonly MessagingOptions _options;
    private readonly int _concurrency;

    public ScanRequestedConsumerDefinition(IOptions<MessagingOptions> options, IOptions<ClamdOptions> clamd)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clamd);
        _options = options.Value;
        EndpointName = _options.ScanRequestsQueue;
        _concurrency = LiveConcurrency(_options, clamd.Value);
        ConcurrentMessageLimit = _concurrency;
    }

    /// <summary>
    /// Messages in flight: twice the clamd slots unless configured. A slot is held only while bytes go to clamd and
    /// its answer comes back; the other half of the messages open their source and wait for a slot, or publish their
    /// result and ack, so clamd never waits for a broker round trip. The scan slots still hold the actual clamd
    /// bound (STATS) whatever this says. MassTransit builds the bus before anything can ask clamd, so this is sized
    /// from configuration: set Clamd:MaxConcurrentScans to clamd's MaxThreads.
    /// </summary>
    public static int LiveConcurrency(MessagingOptions options, ClamdOptions clamd)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clamd);
        return options.ConcurrentMessageLimit ?? 2 * (clamd.MaxConcurrentScans ?? ClamdScanSlots.ClamdDefaultMaxThreads);
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScanRequestedConsumer> consumerConfigurator, IRegistrationContext context) =>
        ScanQueuePolicy.Configure(endpointConfigurator, _options, _concurrency);
}
