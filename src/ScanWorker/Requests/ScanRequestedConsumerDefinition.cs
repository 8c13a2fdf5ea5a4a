using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Clamd;
using ScanWorker.Messaging;
using ScanWorker.Sources;

namespace ScanWorker.Requests;

/// <summary>
/// How scan requests are received: the queue name and its concurrency (sized to clamd and S3's read-ahead unless
/// configured); the rest is <see cref="ScanQueuePolicy"/>'s policy.
/// </summary>
public sealed class ScanRequestedConsumerDefinition : ConsumerDefinition<ScanRequestedConsumer>
{
    private readonly MessagingOptions _options;
    private readonly int _concurrency;

    public ScanRequestedConsumerDefinition(IOptions<MessagingOptions> options, IOptions<ClamdOptions> clamd, IOptions<S3Options> s3)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clamd);
        ArgumentNullException.ThrowIfNull(s3);
        _options = options.Value;
        EndpointName = _options.ScanRequestsQueue;
        _concurrency = ScanQueuePolicy.LiveConcurrency(_options, clamd.Value, s3.Value);
        ConcurrentMessageLimit = _concurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScanRequestedConsumer> consumerConfigurator, IRegistrationContext context) =>
        ScanQueuePolicy.Configure(endpointConfigurator, _options, _concurrency);
}
