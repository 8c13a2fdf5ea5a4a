using System.Net.Mime;
using MassTransit;
using ScanWorker.Clamd;
using ScanWorker.Sources;

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

    /// <summary>
    /// Messages in flight: twice the clamd slots, plus S3's read-ahead where S3 is configured, unless configured. A slot
    /// is held only while bytes go to clamd and its answer comes back; the other messages open their source and wait
    /// for a slot, or publish their result and ack, so clamd never waits for a broker round trip, and S3's read-ahead
    /// keeps enough GETs under way that their latency never leaves a slot idle (<see cref="S3Options.ReadAhead"/>).
    /// The scan slots still hold the actual clamd bound (STATS) whatever this says. MassTransit builds the bus before
    /// anything can ask clamd, so this is sized from configuration: set Clamd:MaxConcurrentScans to clamd's MaxThreads.
    /// </summary>
    public static int LiveConcurrency(MessagingOptions options, ClamdOptions clamd, S3Options s3)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clamd);
        ArgumentNullException.ThrowIfNull(s3);
        return options.ConcurrentMessageLimit
            ?? (2 * (clamd.MaxConcurrentScans ?? ClamdScanSlots.ClamdDefaultMaxThreads)) + S3Access.ReadAheadOf(s3);
    }
}
