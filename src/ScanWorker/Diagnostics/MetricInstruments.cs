using System.Diagnostics;
using System.Diagnostics.Metrics;
using Prometheus;

namespace ScanWorker.Diagnostics;

/// <summary>A counter recorded on both exporters at once.</summary>
public sealed class DualCounter
{
    private readonly MetricDefinition _definition;
    private readonly Counter<long> _meter;
    private readonly Prometheus.Counter _prometheus;

    internal DualCounter(MetricDefinition definition, Meter meter, IMetricFactory prometheus)
    {
        _definition = definition;
        _meter = meter.CreateCounter<long>(definition.Name, definition.Unit, definition.Help);
        _prometheus = prometheus.CreateCounter(definition.PrometheusName, definition.Help, [.. definition.Labels], definition.ClamavRestName
            ? new CounterConfiguration { ExemplarBehavior = new ExemplarBehavior { DefaultExemplarProvider = (_, _) => Exemplar.None } }
            : null);
    }

    /// <summary>
    /// Adds <paramref name="value"/> when it is positive; nothing otherwise, so a label set appears in <c>/metrics</c> when
    /// it first happens instead of as a 0 for every outcome that never did.
    /// </summary>
    public void AddIfPositive(long value, params string[] labelValues)
    {
        if (value > 0)
        {
            Add(value, labelValues);
        }
    }

    /// <summary>Adds <paramref name="value"/> under <paramref name="labelValues"/> (in the definition's label order).</summary>
    public void Add(long value, params string[] labelValues)
    {
        _meter.Add(value, MetricInstruments.Tags(_definition, labelValues));
        _prometheus.WithLabels(labelValues).Inc(value);
    }
}

/// <summary>A histogram recorded on both exporters at once, with the same buckets.</summary>
public sealed class DualHistogram
{
    private readonly MetricDefinition _definition;
    private readonly Histogram<double> _meter;
    private readonly Prometheus.Histogram _prometheus;

    internal DualHistogram(MetricDefinition definition, Meter meter, IMetricFactory prometheus)
    {
        _definition = definition;
        _meter = meter.CreateHistogram(definition.Name, definition.Unit, definition.Help, tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = definition.Buckets });
        _prometheus = prometheus.CreateHistogram(definition.PrometheusName, definition.Help,
            new HistogramConfiguration { LabelNames = [.. definition.Labels], Buckets = definition.Buckets is { } buckets ? [.. buckets] : null });
    }

    public void Record(double value, params string[] labelValues)
    {
        _meter.Record(value, MetricInstruments.Tags(_definition, labelValues));
        _prometheus.WithLabels(labelValues).Observe(value);
    }
}

/// <summary>Builds each <see cref="MetricDefinition"/> on the meter and on a prometheus-net registry.</summary>
internal static class MetricInstruments
{
    public static TagList Tags(MetricDefinition definition, string[] labelValues)
    {
        if (labelValues.Length != definition.Labels.Count)
        {
            throw new ArgumentException($"{definition.Name} has labels {string.Join(", ", definition.Labels)}, given {labelValues.Length} values");
        }

        var tags = default(TagList);
        for (var i = 0; i < labelValues.Length; i++)
        {
            tags.Add(definition.Labels[i], labelValues[i]);
        }

        return tags;
    }

    /// <summary>
    /// Registers <paramref name="gauge"/> on the meter (read on each export) and on <paramref name="registry"/> (read right
    /// before each scrape; a label set no longer read is taken out of the scrape).
    /// </summary>
    public static void Observe(ObservedGauge gauge, Meter meter, CollectorRegistry registry)
    {
        var definition = gauge.Definition;
        IEnumerable<Measurement<double>> Measure() =>
            gauge.Read().Select(reading => new Measurement<double>(reading.Value, Tags(definition, reading.LabelValues)));
        var factory = Metrics.WithCustomRegistry(registry);
        if (definition.Kind == MetricKind.ObservedCounter)
        {
            meter.CreateObservableCounter(definition.Name, Measure, definition.Unit, definition.Help);
            var counter = factory.CreateCounter(definition.PrometheusName, definition.Help, [.. definition.Labels]);
            registry.AddBeforeCollectCallback(() =>
            {
                foreach (var reading in gauge.Read())
                {
                    counter.WithLabels(reading.LabelValues).IncTo(reading.Value);
                }
            });
            return;
        }

        meter.CreateObservableGauge(definition.Name, Measure, definition.Unit, definition.Help);
        var prometheus = factory.CreateGauge(definition.PrometheusName, definition.Help,
            new GaugeConfiguration { LabelNames = [.. definition.Labels], SuppressInitialValue = true });
        var published = new Dictionary<string, Gauge.Child>(StringComparer.Ordinal);
        registry.AddBeforeCollectCallback(() =>
        {
            var current = new HashSet<string>(StringComparer.Ordinal);
            foreach (var reading in gauge.Read())
            {
                var key = string.Join('\0', reading.LabelValues);
                var child = prometheus.WithLabels(reading.LabelValues);
                child.Set(reading.Value);
                child.Publish();
                published[key] = child;
                current.Add(key);
            }

            foreach (var (key, child) in published.Where(entry => !current.Contains(entry.Key)).ToList())
            {
                child.Unpublish();
                published.Remove(key);
            }
        });
    }
}
