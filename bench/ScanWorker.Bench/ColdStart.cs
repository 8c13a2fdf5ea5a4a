using System.Diagnostics;
using System.Globalization;

namespace ScanWorker.Bench;

/// <summary>
/// The cold row (issue 23): a fresh worker process on a pre-loaded queue, as KEDA starts a pod. Steady means the rate
/// over the second half of the results; the worker is "at speed" at the end of the first one-second window, counted
/// from ready, that holds 90 % of it.
/// </summary>
internal sealed record ColdStart(double StartToReady, double ReadyTo90Percent, double SteadyRate, double FirstThousandRatio)
{
    public static async Task<long> WaitUntilReadyAsync(int port, Process worker, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            deadline.Token.ThrowIfCancellationRequested();
            if (worker.HasExited)
            {
                throw new InvalidOperationException($"the worker exited with {worker.ExitCode} before it was ready (its output: {QueueScenario.WorkerLogPath})");
            }

            try
            {
                using var answer = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"), deadline.Token);
                if (answer.IsSuccessStatusCode)
                {
                    return Stopwatch.GetTimestamp();
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(20, deadline.Token);
        }
    }

    public static ColdStart Measure(long started, long ready, List<long> arrivals)
    {
        var seconds = arrivals.Select(at => (at - ready) / (double)Stopwatch.Frequency).Order().ToArray();
        var half = seconds.Length / 2;
        var steady = (seconds.Length - 1 - half) / (seconds[^1] - seconds[half]);
        var at90 = double.NaN;
        for (int from = 0, to = 0; from < seconds.Length; from++)
        {
            while (to < seconds.Length && seconds[to] < seconds[from] + 1)
            {
                to++;
            }

            if (to - from >= 0.9 * steady)
            {
                at90 = Math.Max(0, seconds[from] + 1);
                break;
            }
        }

        var first = Math.Min(1000, seconds.Length) - 1;
        var firstRate = first / (seconds[first] - seconds[0]);
        return new ColdStart((ready - started) / (double)Stopwatch.Frequency, at90, steady, firstRate / steady);
    }

    /// <summary>
    /// The ramp behind the cells, for stderr: when the first result came after ready, and the results in each of the
    /// first ten seconds, so a slow start shows whether it waited for its first message or ran slow once it had one.
    /// </summary>
    public static string Timeline(long started, long ready, List<long> arrivals)
    {
        var seconds = arrivals.Select(at => (at - ready) / (double)Stopwatch.Frequency).Order().ToArray();
        var perSecond = Enumerable.Range(0, 10).Select(second => seconds.Count(at => at >= second && at < second + 1));
        var lastFromStart = (arrivals.Max() - started) / (double)Stopwatch.Frequency;
        return string.Create(CultureInfo.InvariantCulture,
            $"cold: first result {seconds.FirstOrDefault():F2} s after ready; results per second from ready: {string.Join(' ', perSecond)}; all {seconds.Length} results {lastFromStart:F1} s after the process started");
    }

    /// <summary>The cells of bench/e2e.sh's cold row.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{StartToReady:F1} s | {ReadyTo90Percent:F1} s | {SteadyRate:F0}/s | {FirstThousandRatio:F2}x");
}
