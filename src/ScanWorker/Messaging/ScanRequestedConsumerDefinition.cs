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
    /// MassTransit builds the bus while the host is being constructed, before anything can ask clamd, so the
    /// queue side is sized from configuration: set Clamd:MaxConcurrentScans to clamd's MaxThreads and both sides
    /// agree. The scan slots still hold the actual clamd bound (STATS) whatever this says.
    /// </summary>
    public static int LiveConcurrency(MessagingOptions options, ClamdOptions clamd)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clamd);
        return options.ConcurrentMessageLimit ?? clamd.MaxConcurrentScans ?? ClamdScanSlots.ClamdDefaultMaxThreads;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScanRequestedConsumer> consumerConfigurator, IRegistrationContext context) =>
        ScanQueuePolicy.Configure(endpointConfigurator, _options, _concurrency);
}
