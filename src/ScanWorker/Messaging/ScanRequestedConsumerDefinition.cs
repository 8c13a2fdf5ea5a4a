using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Clamd;

namespace ScanWorker.Messaging;

/// <summary>
/// Everything about how scan requests are received: queue name, concurrency (sized to clamd unless
/// configured), retry of transient failures only, plain-JSON producers, quorum queues.
/// </summary>
public sealed class ScanRequestedConsumerDefinition : ConsumerDefinition<ScanRequestedConsumer>
{
    private readonly MessagingOptions _options;

    public ScanRequestedConsumerDefinition(IOptions<MessagingOptions> options, IOptions<ClamdOptions> clamd)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clamd);
        _options = options.Value;
        EndpointName = _options.ScanRequestsQueue;
        // MassTransit builds the bus while the host is being constructed, before anything can ask clamd,
        // so the queue side is sized from configuration: set Clamd:MaxConcurrentScans to clamd's MaxThreads
        // and both sides agree. The scan slots still hold the actual clamd bound (STATS) whatever this says.
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit
            ?? clamd.Value.MaxConcurrentScans
            ?? ClamdScanSlots.ClamdDefaultMaxThreads;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScanRequestedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        // Producers without MassTransit send the bare ScanRequested JSON as application/json (or no content type).
        endpointConfigurator.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: false);
        endpointConfigurator.DefaultContentType = new System.Net.Mime.ContentType("application/json");
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Exponential(_options.RetryLimit, _options.RetryMinInterval, _options.RetryMaxInterval,
                _options.RetryMinInterval == TimeSpan.Zero ? TimeSpan.Zero : _options.RetryMinInterval);
            retry.Handle<TransientScanException>();
        });

        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = _options.PrefetchCount ?? ConcurrentMessageLimit ?? ClamdScanSlots.ClamdDefaultMaxThreads;
            if (_options.QueueType == QueueType.Quorum)
            {
                rabbit.SetQuorumQueue();
            }
        }
    }
}
