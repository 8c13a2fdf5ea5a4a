namespace ScanWorker.Diagnostics;

/// <summary>How an instrument is recorded.</summary>
public enum MetricKind
{
    /// <summary>Incremented where something happens.</summary>
    Counter,

    /// <summary>Observed where something happens.</summary>
    Histogram,

    /// <summary>Read from an <see cref="IGaugeSource"/> when metrics are collected.</summary>
    Gauge,

    /// <summary>A running total read from an <see cref="IGaugeSource"/> when metrics are collected (process CPU).</summary>
    ObservedCounter,
}

/// <summary>
/// One instrument, declared once in <see cref="ScanWorkerMetrics"/> and built from here on both prometheus-net
/// (<c>/metrics</c>) and the OpenTelemetry meter (OTLP). Prometheus names a counter with <c>_total</c>; OpenTelemetry's
/// Prometheus exporters add it themselves, so <see cref="Name"/> goes without.
/// </summary>
/// <param name="Name">The instrument's name on the meter.</param>
/// <param name="Kind">How it is recorded.</param>
/// <param name="Help">The description, and Prometheus's HELP line.</param>
public sealed record MetricDefinition(string Name, MetricKind Kind, string Help)
{
    /// <summary>The unit on the meter (UCUM: <c>s</c>, <c>By</c>); Prometheus carries it in the name.</summary>
    public string? Unit { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>A histogram's bucket boundaries, the same on both.</summary>
    public IReadOnlyList<double>? Buckets { get; init; }

    /// <summary>
    /// clamav-rest's two counters keep their exact names (no <c>_total</c>) and carry no exemplars: OpenMetrics allows
    /// exemplars only on <c>_total</c> and <c>_bucket</c> samples, and Prometheus drops the whole scrape when one sits elsewhere.
    /// </summary>
    public bool ClamavRestName { get; init; }

    /// <summary>The name <c>/metrics</c> serves.</summary>
    public string PrometheusName => Kind is MetricKind.Counter or MetricKind.ObservedCounter && !ClamavRestName ? Name + "_total" : Name;
}
