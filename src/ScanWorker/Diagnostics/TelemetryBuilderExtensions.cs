using ScanWorker.Diagnostics.Prometheus;

namespace ScanWorker.Diagnostics;

public static class TelemetryBuilderExtensions
{
    /// <summary>The ScanWorker meter, its Prometheus exporter, and optional OTLP export.</summary>
    public static IHostApplicationBuilder AddScanWorkerTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<ScanWorkerTelemetry>();
        builder.Services.AddSingleton(services =>
            new PrometheusExporter(services.GetRequiredService<ScanWorkerTelemetry>().Meter, ScanWorkerTelemetry.ClamavRestCounters));
        return builder;
    }
}
