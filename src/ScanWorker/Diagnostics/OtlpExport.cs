using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ScanWorker.Diagnostics;

/// <summary>
/// Pushes the ScanWorker meter and the ScanWorker and MassTransit traces to an OTLP collector while the
/// host runs, when <see cref="OtlpOptions.Endpoint"/> is set. Stopping flushes what is pending.
/// </summary>
internal sealed class OtlpExport(IOptions<OtlpOptions> options) : IHostedService, IDisposable
{
    private MeterProvider? _meters;
    private TracerProvider? _tracers;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var otlp = options.Value;
        if (otlp.Endpoint is not { Length: > 0 } endpoint)
        {
            return Task.CompletedTask;
        }

        _meters = Sdk.CreateMeterProviderBuilder()
            .AddMeter(ScanWorkerTelemetry.Name)
            .AddOtlpExporter((exporter, reader) =>
            {
                Configure(exporter, endpoint, otlp.Protocol, "v1/metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)otlp.MetricsInterval.TotalMilliseconds;
            })
            .Build();
        _tracers = Sdk.CreateTracerProviderBuilder()
            .AddSource(ScanWorkerTelemetry.Name, "MassTransit")
            .AddOtlpExporter(exporter => Configure(exporter, endpoint, otlp.Protocol, "v1/traces"))
            .Build();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _meters?.ForceFlush(5000);
        _tracers?.ForceFlush(5000);
        return Task.CompletedTask;
    }

    // With http/protobuf the SDK takes the endpoint as the full URL of each signal.
    private static void Configure(OtlpExporterOptions exporter, string endpoint, OtlpProtocol protocol, string signalPath)
    {
        exporter.Protocol = protocol == OtlpProtocol.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = protocol == OtlpProtocol.Grpc ? new Uri(endpoint) : new Uri(new Uri(endpoint.TrimEnd('/') + "/"), signalPath);
    }

    public void Dispose()
    {
        _meters?.Dispose();
        _tracers?.Dispose();
    }
}
