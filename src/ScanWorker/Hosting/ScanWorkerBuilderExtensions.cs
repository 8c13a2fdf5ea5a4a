using ScanWorker.Buckets;
using ScanWorker.Clamd;
using ScanWorker.Diagnostics;
using ScanWorker.Http;
using ScanWorker.Messaging;
using ScanWorker.Scanning;
using ScanWorker.Sources;

namespace ScanWorker.Hosting;

public static class ScanWorkerBuilderExtensions
{
    /// <summary>Everything the worker is made of, one call per concern.</summary>
    public static WebApplicationBuilder AddScanWorker(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddClamavRestAliases(Environment.GetEnvironmentVariables());
        // Order matters for start-up: clamd's capacity is probed before the bus sizes its consumer.
        builder.AddClamd();
        builder.AddScanWorkerTelemetry();
        builder.AddScanSources();
        builder.AddScanning();
        builder.AddBucketEvents();
        builder.AddMessaging();
        builder.AddHttpFacade();
        return builder;
    }
}
