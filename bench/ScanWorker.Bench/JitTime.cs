using System.Globalization;

namespace ScanWorker.Bench;

/// <summary>
/// The worker's JIT time from its own /metrics (<c>dotnet_jit_compilation_seconds_total</c>): how much of a row's CPU
/// went to compiling. A row whose worker was still tiering up hot code measures warm-up, not the steady state, and a
/// cold start is over when this stops rising.
/// </summary>
internal static class JitTime
{
    public const string Metric = "dotnet_jit_compilation_seconds_total ";

    /// <summary>Seconds compiled so far, or NaN when /metrics does not say.</summary>
    public static async Task<double> ScrapeAsync(int httpPort) => (await ScrapeAsync(httpPort, Metric))[0];

    /// <summary>
    /// Unlabelled samples of the worker's /metrics, one scrape for all (each name given with its trailing space), NaN for
    /// each the worker does not report or when it does not answer.
    /// </summary>
    public static async Task<double[]> ScrapeAsync(int httpPort, params string[] metrics)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var lines = (await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort}/metrics"))).Split('\n');
            return [.. metrics.Select(metric => lines.FirstOrDefault(line => line.StartsWith(metric, StringComparison.Ordinal)) is { } line
                ? double.Parse(line[metric.Length..], CultureInfo.InvariantCulture)
                : double.NaN)];
        }
        catch (HttpRequestException)
        {
            return [.. metrics.Select(_ => double.NaN)];
        }
        catch (TaskCanceledException)
        {
            return [.. metrics.Select(_ => double.NaN)];
        }
    }

    /// <summary>A table cell: the seconds compiled between two scrapes.</summary>
    public static string Cell(double before, double after) =>
        double.IsNaN(before) || double.IsNaN(after) ? "-" : string.Create(CultureInfo.InvariantCulture, $"{after - before:F2} s");
}
