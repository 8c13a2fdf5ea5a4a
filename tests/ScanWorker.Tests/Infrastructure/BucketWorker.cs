using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScanWorker.Buckets;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>A worker with bucket events on, and exchange and queues of its own so that tests do not share them.</summary>
internal static class BucketWorker
{
    public static Task<WorkerHost> StartAsync(TestServers servers, Action<Dictionary<string, string?>>? configure = null,
        Action<IServiceCollection>? services = null, RabbitMqServer? broker = null)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        return WorkerHost.StartAsync(servers, settings =>
        {
            settings["BucketEvents:Enabled"] = "true";
            settings["BucketEvents:Queue"] = $"bucket-events-{id}";
            settings["BucketEvents:Exchange"] = $"bucket-events-x-{id}";
            settings["BucketEvents:ObjectsQueue"] = $"bucket-objects-{id}";
            settings["BucketEvents:RescanQueue"] = $"bucket-rescans-{id}";
            settings["BucketEvents:RescanRequestsQueue"] = $"rescan-requests-{id}";
            settings["BucketEvents:RescanProgressQueue"] = $"rescan-progress-{id}";
            // A queue with one active consumer: shared, another test's worker could take (and swallow) this one's reports.
            settings["BucketEvents:SignatureUpdatesQueue"] = $"signature-updates-{id}";
            settings["BucketEvents:WriteBackRetryInterval"] = "00:00:00.050";
            settings["BucketEvents:QuarantinePrefix"] = $"quarantine-{id}/";
            configure?.Invoke(settings);
        }, services: services, broker: broker);
    }

    public static BucketEventsOptions BucketOptions(this WorkerHost worker) =>
        worker.Services.GetRequiredService<IOptions<BucketEventsOptions>>().Value;

    /// <summary>Publishes a notification body to the worker's bucket exchange, as the store would.</summary>
    public static Task PublishEventAsync(this WorkerHost worker, string body, string? contentType = "application/json") =>
        worker.PublishToExchangeAsync(worker.BucketOptions().Exchange, body, contentType: contentType);
}
