using Microsoft.Extensions.Options;

namespace ScanWorker.Diagnostics;

public static class TelemetryBuilderExtensions
{
    /// <summary>The ScanWorker meter, its Prometheus exporter, and optional OTLP export.</summary>
    public static IHostApplicationBuilder AddScanWorkerTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<IGaugeSource, ProcessGauges>();
        builder.Services.AddSingleton<ScanWorkerTelemetry>();
        builder.Services.AddOptions<OtlpOptions>().BindConfiguration(OtlpOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OtlpOptions>, OtlpOptionsValidator>();
        builder.Services.AddHostedService<OtlpExport>();
        return builder;
    }
}
