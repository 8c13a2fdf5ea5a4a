using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Clamd;
using ScanWorker.Messaging;

namespace ScanWorker.Requests;

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
        _concurrency = ScanQueuePolicy.LiveConcurrency(_options, clamd.Value);
        ConcurrentMessageLimit = _concurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScanRequestedConsumer> consumerConfigurator, IRegistrationContext context) =>
        ScanQueuePolicy.Configure(endpointConfigurator, _options, _concurrency);
}
