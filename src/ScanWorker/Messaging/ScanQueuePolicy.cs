using System.Net.Mime;
using MassTransit;

namespace ScanWorker.Messaging;

/// <summary>
/// How every RabbitMQ queue that carries scans is received: one policy for the request queue and the bucket lanes
/// (named apart from the HTTP endpoints on purpose).
/// </summary>
public static class ScanQueuePolicy
{
    /// <summary>
    /// Concurrency and prefetch, plain-JSON producers, retry of transient failures only (anything else goes
    /// straight to the error queue), and the queue type.
    /// </summary>
    public static void Configure(IReceiveEndpointConfigurator endpoint, MessagingOptions options, int concurrency)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        endpoint.ConcurrentMessageLimit = concurrency;
        // Producers without MassTransit send the bare JSON as application/json (or with no content type).
        endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: false);
        endpoint.DefaultContentType = new ContentType("application/json");
        endpoint.UseMessageRetry(retry =>
        {
            retry.Exponential(options.RetryLimit, options.RetryMinInterval, options.RetryMaxInterval,
                options.RetryMinInterval == TimeSpan.Zero ? TimeSpan.Zero : options.RetryMinInterval);
            retry.Handle<TransientScanException>();
        });

        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            // The broker delivers ahead of the consumer, so a freed consumer slot never waits for a round trip.
            rabbit.PrefetchCount = options.PrefetchCount ?? 2 * concurrency;
            if (options.QueueType == QueueType.Quorum)
            {
                rabbit.SetQuorumQueue();
            }
        }
    }
}
