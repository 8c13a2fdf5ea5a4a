using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace ScanWorker.Diagnostics.Prometheus;

/// <summary>
/// Collects the measurements of one <see cref="Meter"/> with a <see cref="MeterListener"/> and renders
/// them in the Prometheus text format. Counters and up-down counters are summed, histograms are
/// bucketed by the instrument's advised boundaries, observable instruments are read at each scrape.
/// Counter names get the conventional <c>_total</c> suffix, except the names listed as kept verbatim
/// (clamav-rest's counters, which existing dashboards query by their exact names).
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly IReadOnlySet<string> _verbatimNames;
    private readonly Lock _scrape = new();

    public PrometheusExporter(Meter meter, IReadOnlySet<string>? verbatimNames = null)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _verbatimNames = verbatimNames ?? new HashSet<string>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument, _instruments.GetOrAdd(instrument, Describe));
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, state) => Record(state, value, tags));
        _listener.Start();
    }

    /// <summary>The current state of every instrument, in the text exposition format.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        lock (_scrape)
        {
            _listener.RecordObservableInstruments();
            foreach (var state in _instruments.Values.OrderBy(state => state.Name, StringComparer.Ordinal))
            {
                state.WriteTo(text);
            }
        }

        return text.ToString();
    }

    private InstrumentState Describe(Instrument instrument)
    {
        var kind = instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> => MetricKind.Counter,
            ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => MetricKind.ObservedCounter,
            Histogram<long> or Histogram<int> or Histogram<double> => MetricKind.Histogram,
            UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double> => MetricKind.UpDownCounter,
            _ => MetricKind.ObservedGauge,
        };
        var name = PrometheusText.Name(instrument.Name);
        if (kind is MetricKind.Counter or MetricKind.ObservedCounter && !_verbatimNames.Contains(name)
            && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        var buckets = instrument switch
        {
            Histogram<double> histogram => histogram.Advice?.HistogramBucketBoundaries,
            Histogram<long> histogram => histogram.Advice?.HistogramBucketBoundaries?.Select(bound => (double)bound).ToArray(),
            _ => null,
        };
        return new InstrumentState(name, instrument.Description, kind, kind == MetricKind.Histogram ? buckets ?? DefaultBuckets : null);
    }

    private static void Record<T>(object? state, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        if (state is not InstrumentState instrument)
        {
            return;
        }

        var number = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        var series = instrument.Series(tags);
        switch (instrument.Kind)
        {
            case MetricKind.Counter or MetricKind.UpDownCounter:
                series.Add(number);
                break;
            case MetricKind.Histogram:
                series.Observe(number);
                break;
            default:
                series.Set(number);
                break;
        }
    }

    public void Dispose() => _listener.Dispose();

    private enum MetricKind
    {
        Counter,
        ObservedCounter,
        UpDownCounter,
        ObservedGauge,
        Histogram,
    }

    private sealed class InstrumentState(string name, string? help, MetricKind kind, IReadOnlyList<double>? buckets)
    {
        private readonly ConcurrentDictionary<string, MetricSeries> _series = new(StringComparer.Ordinal);

        public string Name { get; } = name;

        public MetricKind Kind { get; } = kind;

        public MetricSeries Series(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = new List<KeyValuePair<string, string>>(tags.Length);
            foreach (var tag in tags)
            {
                labels.Add(new(tag.Key, Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));
            }

            labels.Sort((left, right) => string.CompareOrdinal(left.Key, right.Key));
            var key = string.Join("\u0001", labels.Select(label => label.Key + "\u0002" + label.Value));
            return _series.GetOrAdd(key, _ => new MetricSeries(labels, buckets));
        }

        public void WriteTo(StringBuilder text)
        {
            var type = Kind switch
            {
                MetricKind.Counter or MetricKind.ObservedCounter => "counter",
                MetricKind.Histogram => "histogram",
                _ => "gauge",
            };
            text.Append("# HELP ").Append(Name).Append(' ').Append(PrometheusText.Help(help)).Append('\n');
            text.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');
            foreach (var series in _series.Values.OrderBy(series => PrometheusText.Labels(series.Labels), StringComparer.Ordinal))
            {
                var (value, count, cumulative) = series.Snapshot();
                if (Kind != MetricKind.Histogram)
                {
                    text.Append(Name).Append(PrometheusText.Labels(series.Labels)).Append(' ').Append(PrometheusText.Value(value)).Append('\n');
                    continue;
                }

                for (var i = 0; i < cumulative.Length; i++)
                {
                    var bound = i < series.BucketBounds.Count ? PrometheusText.Value(series.BucketBounds[i]) : "+Inf";
                    var labels = new List<KeyValuePair<string, string>>(series.Labels) { new("le", bound) };
                    text.Append(Name).Append("_bucket").Append(PrometheusText.Labels(labels)).Append(' ').Append(cumulative[i]).Append('\n');
                }

                text.Append(Name).Append("_sum").Append(PrometheusText.Labels(series.Labels)).Append(' ').Append(PrometheusText.Value(value)).Append('\n');
                text.Append(Name).Append("_count").Append(PrometheusText.Labels(series.Labels)).Append(' ').Append(count).Append('\n');
            }
        }
    }
}
