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
        // The order is only the reading order: each call registers services, none of them talks to a server here.
        // (The bus sizes its consumer from configuration; the start-up probe asks clamd later, as a hosted service.)
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
