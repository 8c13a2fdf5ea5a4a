using System.Diagnostics.Metrics;
using ScanWorker.Diagnostics.Prometheus;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Diagnostics;

public sealed class PrometheusExporterTests : IDisposable
{
    private readonly Meter _meter = new($"exporter-test-{Guid.NewGuid():N}");
    private readonly PrometheusExporter _exporter;

    public PrometheusExporterTests()
    {
        _exporter = new PrometheusExporter(_meter, new HashSet<string> { "legacy_counter" });
    }

    [Fact]
    public void Counters_are_summed_per_label_set_and_end_in_total()
    {
        var scans = _meter.CreateCounter<long>("scans", description: "Scans done.");
        scans.Add(2, new KeyValuePair<string, object?>("result", "clean"));
        scans.Add(3, new KeyValuePair<string, object?>("result", "clean"));
        scans.Add(1, new KeyValuePair<string, object?>("result", "infected"));

        var text = _exporter.Render();
        var samples = PrometheusSample.Parse(text);

        Assert.Equal("counter", PrometheusSample.Types(text)["scans_total"]);
        Assert.Contains("# HELP scans_total Scans done.\n", text, StringComparison.Ordinal);
        Assert.Equal(5, samples.Single(s => s.Name == "scans_total" && s.Labels["result"] == "clean").Value);
        Assert.Equal(1, samples.Single(s => s.Name == "scans_total" && s.Labels["result"] == "infected").Value);
    }

    [Fact]
    public void Listed_legacy_counters_keep_their_exact_name()
    {
        _meter.CreateCounter<long>("legacy_counter").Add(1);

        var samples = PrometheusSample.Parse(_exporter.Render());

        Assert.Equal(1, samples.Single(s => s.Name == "legacy_counter").Value);
        Assert.DoesNotContain(samples, s => s.Name == "legacy_counter_total");
    }

    [Fact]
    public void Label_values_are_escaped_and_parse_back_unchanged()
    {
        const string awkward = "back\\slash \"quoted\"\nnew line";
        _meter.CreateCounter<long>("odd").Add(1, new KeyValuePair<string, object?>("path", awkward));

        var text = _exporter.Render();

        Assert.Contains("path=\"back\\\\slash \\\"quoted\\\"\\nnew line\"", text, StringComparison.Ordinal);
        Assert.Equal(awkward, PrometheusSample.Parse(text).Single(s => s.Name == "odd_total").Labels["path"]);
    }

    [Fact]
    public void Histograms_have_monotonic_cumulative_buckets_with_inf_sum_and_count()
    {
        var duration = _meter.CreateHistogram("duration_seconds", "s", "How long.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 10] });
        foreach (var value in new[] { 0.05, 0.1, 0.5, 2, 20, 30 })
        {
            duration.Record(value, new KeyValuePair<string, object?>("source", "s3"));
        }

        var text = _exporter.Render();
        var samples = PrometheusSample.Parse(text);
        var buckets = samples.Where(s => s.Name == "duration_seconds_bucket").ToList();

        Assert.Equal("histogram", PrometheusSample.Types(text)["duration_seconds"]);
        Assert.Equal(["0.1", "1", "10", "+Inf"], buckets.Select(b => b.Labels["le"]));
        Assert.Equal([2d, 3, 4, 6], buckets.Select(b => b.Value));
        Assert.All(buckets.Zip(buckets.Skip(1)), pair => Assert.True(pair.First.Value <= pair.Second.Value));
        Assert.Equal(6, samples.Single(s => s.Name == "duration_seconds_count").Value);
        Assert.Equal(52.65, samples.Single(s => s.Name == "duration_seconds_sum").Value, precision: 9);
        Assert.All(buckets, bucket => Assert.Equal("s3", bucket.Labels["source"]));
    }

    [Fact]
    public void Observable_gauges_and_counters_are_read_at_each_scrape()
    {
        var level = 3;
        _meter.CreateObservableGauge("level", () => level, description: "A level.");
        _meter.CreateObservableCounter("uptime_seconds", () => 42.5);

        var first = PrometheusSample.Parse(_exporter.Render());
        level = 7;
        var second = PrometheusSample.Parse(_exporter.Render());

        Assert.Equal(3, first.Single(s => s.Name == "level").Value);
        Assert.Equal(7, second.Single(s => s.Name == "level").Value);
        Assert.Equal(42.5, second.Single(s => s.Name == "uptime_seconds_total").Value);
    }

    [Fact]
    public void Up_down_counters_are_gauges()
    {
        var inFlight = _meter.CreateUpDownCounter<long>("in_flight");
        inFlight.Add(3);
        inFlight.Add(-1);

        var text = _exporter.Render();

        Assert.Equal("gauge", PrometheusSample.Types(text)["in_flight"]);
        Assert.Equal(2, PrometheusSample.Parse(text).Single(s => s.Name == "in_flight").Value);
    }

    [Fact]
    public void Another_meter_with_the_same_name_is_not_exported()
    {
        using var other = new Meter(_meter.Name);
        other.CreateCounter<long>("foreign").Add(1);

        Assert.DoesNotContain("foreign", _exporter.Render(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("scanworker.scans", "scanworker_scans")]
    [InlineData("9lives", "_9lives")]
    [InlineData("a-b c", "a_b_c")]
    [InlineData("ok:name_1", "ok:name_1")]
    public void Names_are_made_valid(string name, string expected)
    {
        Assert.Equal(expected, PrometheusText.Name(name));
    }

    public void Dispose()
    {
        _exporter.Dispose();
        _meter.Dispose();
    }
}
