using System.Diagnostics;
using System.Text;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>Runs one of the project's server scripts (scripts/servers/*.sh) with its knobs, bounded in time.</summary>
internal static class ServerScript
{
    public static async Task RunAsync(string script, string verb, IReadOnlyDictionary<string, string> environment, TimeSpan timeout,
        params string[] arguments)
    {
        var path = RepositoryRoot.Combine("scripts", "servers", script);
        var start = new ProcessStartInfo("bash", [path, verb, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {path}");
        process.StandardInput.Close();
        var output = new StringBuilder();
        var stdout = PumpAsync(process.StandardOutput, output);
        var stderr = PumpAsync(process.StandardError, output);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            await Task.WhenAll(stdout, stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} {verb} did not finish within {timeout}:\n{output}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {verb} failed with exit code {process.ExitCode}:\n{output}");
        }
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder sink)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (sink)
            {
                sink.AppendLine(line);
            }
        }
    }
}
