namespace ScanWorker.Diagnostics;

public static class TelemetryBuilderExtensions
{
    /// <summary>The ScanWorker meter and its Prometheus exporter.</summary>
    public static IHostApplicationBuilder AddScanWorkerTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<ScanWorkerTelemetry>();
        return builder;
    }
}
