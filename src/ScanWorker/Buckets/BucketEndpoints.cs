using System.Net.Mime;
using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Clamd;
using ScanWorker.Contracts;
using ScanWorker.Messaging;
using ScanWorker.Sources;

namespace ScanWorker.Buckets;

/// <summary>
/// Six queues: notifications (raw JSON from the store, bound to its exchange), the live lane and the backlog lane of
/// object scans, rescan requests, rescan progress, and signature updates.
/// </summary>
public sealed class BucketEndpoints : IReceiveEndpoints
{
    public void AddConsumers(IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<BucketEventConsumer>();
        bus.AddConsumer<BucketObjectScanConsumer>();
        bus.AddConsumer<RescanConsumer>();
        bus.AddConsumer<RescanTracker>();
        bus.AddConsumer<SignatureUpdateConsumer>();
    }

    public IEnumerable<string> QueuesThatScan(IServiceProvider services) =>
        [services.GetRequiredService<IOptions<BucketEventsOptions>>().Value.ObjectsQueue];

    public void ConfigureEndpoints(IRabbitMqBusFactoryConfigurator rabbit, IBusRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(rabbit);
        ArgumentNullException.ThrowIfNull(context);
        var options = context.GetRequiredService<IOptions<BucketEventsOptions>>().Value;
        var messaging = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
        var clamd = context.GetRequiredService<IOptions<ClamdOptions>>().Value;
        var s3 = context.GetRequiredService<IOptions<S3Options>>().Value;
        // Declared at start, so a subscriber can bind before the first rescan completes.
        rabbit.Publish<RescanCompleted>(_ => { });

        rabbit.ReceiveEndpoint(options.Queue, endpoint =>
        {
            // What the store sends is not a MassTransit message type: no type exchanges, and any JSON is read raw
            // (Ceph sets no content type at all).
            endpoint.ConfigureConsumeTopology = false;
            endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
            endpoint.DefaultContentType = new ContentType("application/json");
            endpoint.UseMessageRetry(retry =>
            {
                retry.Interval(messaging.RetryLimit, messaging.RetryMinInterval);
                retry.Ignore<BucketEventFormatException>();
            });
            if (messaging.QueueType == QueueType.Quorum)
            {
                endpoint.SetQuorumQueue();
            }

            if (options.Exchange.Length > 0)
            {
                endpoint.Bind(options.Exchange, binding =>
                {
                    binding.ExchangeType = options.ExchangeType;
                    binding.Durable = options.ExchangeDurable;
                    binding.AutoDelete = options.ExchangeAutoDelete;
                    binding.RoutingKey = options.RoutingKey;
                });
            }

            endpoint.ConfigureConsumer<BucketEventConsumer>(context);
        });

        rabbit.ReceiveEndpoint(options.ObjectsQueue, endpoint =>
        {
            ScanQueuePolicy.Configure(endpoint, messaging, ScanQueuePolicy.LiveConcurrency(messaging, clamd, s3));
            endpoint.ConfigureConsumer<BucketObjectScanConsumer>(context);
        });

        rabbit.ReceiveEndpoint(options.RescanQueue, endpoint =>
        {
            ScanQueuePolicy.Configure(endpoint, messaging, options.RescanConcurrency);
            endpoint.ConfigureConsumer<BucketObjectScanConsumer>(context);
        });

        rabbit.ReceiveEndpoint(options.RescanRequestsQueue, endpoint =>
        {
            // One page at a time: the pacer holds the rate, and pages stay in order.
            ScanQueuePolicy.Configure(endpoint, messaging, concurrency: 1);
            endpoint.ConfigureConsumer<RescanConsumer>(context);
        });

        rabbit.ReceiveEndpoint(options.RescanProgressQueue, endpoint =>
        {
            // One worker counts at a time, one message at a time: the tallies live in its memory.
            ScanQueuePolicy.Configure(endpoint, messaging, concurrency: 1);
            endpoint.SingleActiveConsumer = true;
            endpoint.ConfigureConsumer<RescanTracker>(context);
        });

        rabbit.ReceiveEndpoint(options.SignatureUpdatesQueue, endpoint =>
        {
            // One worker turns each signature version into rescans, however many report it.
            ScanQueuePolicy.Configure(endpoint, messaging, concurrency: 1);
            endpoint.SingleActiveConsumer = true;
            endpoint.ConfigureConsumer<SignatureUpdateConsumer>(context);
        });
    }
}
