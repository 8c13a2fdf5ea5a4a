namespace ScanWorker.Diagnostics.Prometheus;

/// <summary>The running value of one metric for one label set.</summary>
internal sealed class MetricSeries(IReadOnlyList<KeyValuePair<string, string>> labels, IReadOnlyList<double>? bucketBounds)
{
    private readonly Lock _lock = new();
    private readonly long[] _bucketCounts = new long[(bucketBounds?.Count ?? 0) + 1];
    private double _value;
    private long _count;

    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; } = labels;

    public IReadOnlyList<double> BucketBounds { get; } = bucketBounds ?? [];

    public void Add(double value)
    {
        lock (_lock)
        {
            _value += value;
        }
    }

    public void Set(double value)
    {
        lock (_lock)
        {
            _value = value;
        }
    }

    public void Observe(double value)
    {
        lock (_lock)
        {
            var bucket = 0;
            while (bucket < BucketBounds.Count && value > BucketBounds[bucket])
            {
                bucket++;
            }

            _bucketCounts[bucket]++;
            _value += value;
            _count++;
        }
    }

    /// <summary>Value (sum for histograms), observation count and cumulative bucket counts, read together.</summary>
    public (double Value, long Count, long[] CumulativeBuckets) Snapshot()
    {
        lock (_lock)
        {
            var cumulative = new long[_bucketCounts.Length];
            long running = 0;
            for (var i = 0; i < _bucketCounts.Length; i++)
            {
                running += _bucketCounts[i];
                cumulative[i] = running;
            }

            return (_value, _count, cumulative);
        }
    }
}
