using System.Diagnostics;
using System.Globalization;

namespace ScanWorker.Bench;

/// <summary>
/// The cold row's second-by-second view of the worker from ready on: its CPU (from <c>/proc</c>) and the time its JIT
/// compiled (its own /metrics). It shows where a slow start goes: a ramp that ends when the JIT stops is the tiering
/// of hot code competing with clamd for the cores, not the worker waiting for work.
/// </summary>
internal sealed class ColdSampler : IAsyncDisposable
{
    private readonly List<Sample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    private ColdSampler(int pid, int httpPort) => _sampling = SampleAsync(pid, httpPort, _stop.Token);

    public static ColdSampler Start(int pid, int httpPort) => new(pid, httpPort);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }

    /// <summary>
    /// After <see cref="DisposeAsync"/>: the worker's CPU (cores) and JIT seconds in each of the first ten seconds
    /// from ready, and its CPU and allocations per result over the second half of the results (the steady rate's half).
    /// </summary>
    public string Describe(List<long> arrivals) =>
        $"worker CPU per second from ready (cores): {PerSecond(sample => sample.CpuSeconds)}; JIT seconds per second: {PerSecond(sample => sample.JitSeconds)}; "
        + $"over the second half, per result: worker CPU {SteadyCpuCell(arrivals)}, allocated {SteadyAllocationCell(arrivals)}";

    /// <summary>The worker's CPU per result over the second half of the results, as a table cell.</summary>
    public string SteadyCpuCell(List<long> arrivals) =>
        OverSecondHalf(arrivals, (from, to, results) => Format((to.CpuSeconds - from.CpuSeconds) * 1000 / results, "F2") + " ms");

    private string SteadyAllocationCell(List<long> arrivals) =>
        OverSecondHalf(arrivals, (from, to, results) => double.IsNaN(from.AllocatedBytes) ? "-"
            : Format((to.AllocatedBytes - from.AllocatedBytes) / 1024 / results, "F1") + " KiB");

    private string PerSecond(Func<Sample, double> value) =>
        string.Join(' ', _samples.Zip(_samples.Skip(1)).Take(10).Select(pair => Format(value(pair.Second) - value(pair.First), "F2")));

    private string OverSecondHalf(List<long> arrivals,
        Func<Sample, Sample, int, string> cell)
    {
        var sorted = arrivals.Order().ToArray();
        var halfAt = sorted[sorted.Length / 2];
        var from = _samples.FirstOrDefault(sample => sample.At >= halfAt);
        var to = _samples.LastOrDefault();
        var results = from is null || to is null ? 0 : sorted.Count(at => at > from.At && at <= to.At);
        return from is null || to is null || results == 0 ? "-" : cell(from, to, results);
    }

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private async Task SampleAsync(int pid, int httpPort, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            var cpu = CpuSeconds(pid);
            var scraped = await JitTime.ScrapeAsync(httpPort, JitTime.Metric, "dotnet_gc_allocated_bytes_total ");
            if (cpu is { } seconds)
            {
                _samples.Add(new Sample(Stopwatch.GetTimestamp(), seconds, scraped[0], scraped[1]));
            }
        }
        while (await Tick(timer, stop));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // utime + stime, fields 14 and 15 of /proc/PID/stat, in clock ticks (100 per second on Linux); null once it exited.
    private static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private sealed record Sample(long At, double CpuSeconds, double JitSeconds, double AllocatedBytes);
}
