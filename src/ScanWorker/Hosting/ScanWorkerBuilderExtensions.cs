using ScanWorker.Buckets;
using ScanWorker.Clamd;
using ScanWorker.Diagnostics;
using ScanWorker.Http;
using ScanWorker.Messaging;
using ScanWorker.Requests;
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
        // Read before anything binds: Program refuses to start on its errors, the start-up summary logs its warnings.
        builder.Services.AddSingleton(SettingsCheck.Check(builder.Configuration, Environment.GetEnvironmentVariables()));
        // Each call registers services; none talks to a server here. The order matters for one thing: hosted services
        // start in registration order, so clamd's start-up probe and monitor (AddClamd) start before the bus
        // (AddMessaging) consumes, and the scan slots are sized before the first queued scan when clamd answers in time.
        builder.AddClamd();
        builder.AddScanWorkerTelemetry();
        builder.AddScanSources();
        builder.AddScanning();
        builder.AddBucketEvents();
        builder.AddMessaging(QueuesOf(builder.Configuration));
        builder.AddHttpFacade();
        builder.AddOperatorLogging();
        builder.Services.AddHostedService<StartupSummary>();
        return builder;
    }

    /// <summary>The use cases that receive on the bus: scan requests always, bucket events when they are on.</summary>
    private static IReceiveEndpoints[] QueuesOf(IConfiguration configuration) => configuration.BucketEventsEnabled()
        ? [new ScanRequestEndpoints(), new BucketEndpoints()]
        : [new ScanRequestEndpoints()];

    /// <summary>What <see cref="SettingsCheck"/> found in this builder's configuration.</summary>
    public static SettingsCheck.Report SettingsReport(this IServiceCollection services) =>
        (SettingsCheck.Report)services.Single(service => service.ServiceType == typeof(SettingsCheck.Report)).ImplementationInstance!;
}
