using System.ComponentModel.DataAnnotations;

namespace ScanWorker.Diagnostics;

/// <summary>Optional OpenTelemetry export of metrics and traces. Section <c>Otlp</c>.</summary>
public sealed class OtlpOptions
{
    public const string SectionName = "Otlp";

    /// <summary>OTLP collector endpoint, e.g. <c>http://otel-collector:4318</c>. Unset: no export.</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>HttpProtobuf</c> (port 4318) or <c>Grpc</c> (port 4317).</summary>
    public OtlpProtocol Protocol { get; set; } = OtlpProtocol.HttpProtobuf;

    /// <summary>How often metrics are pushed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(60);
}
