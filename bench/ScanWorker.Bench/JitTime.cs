using System.Globalization;

namespace ScanWorker.Bench;

/// <summary>
/// The worker's JIT time from its own /metrics (<c>dotnet_jit_compilation_seconds_total</c>): how much of a row's CPU
/// went to compiling. A row whose worker was still tiering up hot code measures warm-up, not the steady state, and a
/// cold start is over when this stops rising.
/// </summary>
internal static class JitTime
{
    private const string Metric = "dotnet_jit_compilation_seconds_total ";

    /// <summary>Seconds compiled so far, or NaN when /metrics does not say.</summary>
    public static Task<double> ScrapeAsync(int httpPort) => ScrapeAsync(httpPort, Metric);

    /// <summary>One unlabelled sample of the worker's /metrics (name and a space), or NaN when it does not say.</summary>
    public static async Task<double> ScrapeAsync(int httpPort, string metric)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort}/metrics"));
            var line = text.Split('\n').FirstOrDefault(candidate => candidate.StartsWith(metric, StringComparison.Ordinal));
            return line is null ? double.NaN : double.Parse(line[metric.Length..], CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            return double.NaN;
        }
        catch (TaskCanceledException)
        {
            return double.NaN;
        }
    }

    /// <summary>A table cell: the seconds compiled between two scrapes.</summary>
    public static string Cell(double before, double after) =>
        double.IsNaN(before) || double.IsNaN(after) ? "-" : string.Create(CultureInfo.InvariantCulture, $"{after - before:F2} s");
}
