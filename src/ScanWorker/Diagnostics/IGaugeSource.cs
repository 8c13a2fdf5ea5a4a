namespace ScanWorker.Diagnostics;

/// <summary>One reading of a gauge: its value and the values of its labels, in the definition's order.</summary>
public readonly record struct GaugeReading(double Value, params string[] LabelValues);

/// <summary>A gauge and how to read it; no reading means the value is unknown, and the gauge is left out, not exported as 0.</summary>
public sealed record ObservedGauge(MetricDefinition Definition, Func<IEnumerable<GaugeReading>> Read);

/// <summary>A part of the worker whose state is measured when metrics are collected (clamd, the process).</summary>
public interface IGaugeSource
{
    IEnumerable<ObservedGauge> Gauges { get; }
}
