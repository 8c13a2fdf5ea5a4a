using System.Collections.Concurrent;
using System.Diagnostics;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>
/// The built worker (<c>dotnet ScanWorker.dll</c>) as a child process with exactly the environment given, as a
/// user starts it: nothing inherited but <c>PATH</c> and <c>HOME</c>, no test-only settings. Its console output is
/// recorded, and a test waits for a line to appear (event-driven, never polling).
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(IReadOnlyDictionary<string, string> environment)
    {
        var directory = Path.GetDirectoryName(WorkerDll)!;
        var start = new ProcessStartInfo("dotnet", [WorkerDll])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Clear();
        foreach (var inherited in new[] { "PATH", "HOME", "DOTNET_ROOT" })
        {
            if (Environment.GetEnvironmentVariable(inherited) is { Length: > 0 } value)
            {
                start.Environment[inherited] = value;
            }
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, line) => Record(line.Data);
        _process.ErrorDataReceived += (_, line) => Record(line.Data);
        _process.Exited += (_, _) => _exited.TrySetResult();
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The worker built next to these tests (artifacts/bin/ScanWorker/&lt;configuration&gt;), in the same configuration.</summary>
    public static string WorkerDll { get; } = Path.Combine(AppContext.BaseDirectory, "..", "..", "ScanWorker",
        Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)), "ScanWorker.dll");

    public string Output => string.Join('\n', _lines);

    public bool HasExited => _process.HasExited;

    public static WorkerProcess Start(IReadOnlyDictionary<string, string> environment) => new(environment);

    /// <summary>Completes when a line containing <paramref name="text"/> has been printed; fails if the worker exits first.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var waiter = _waiters.GetOrAdd(text, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_lines.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            waiter.TrySetResult();
        }

        var first = await Task.WhenAny(waiter.Task, _exited.Task).WaitAsync(timeout, TestContext.Current.CancellationToken);
        if (first != waiter.Task)
        {
            throw new InvalidOperationException($"the worker exited ({_process.ExitCode}) before printing '{text}':\n{Output}");
        }
    }

    /// <summary>The exit code of a worker expected to stop by itself (e.g. refused settings).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _exited.Task.WaitAsync(timeout, TestContext.Current.CancellationToken);
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return _process.ExitCode;
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        foreach (var (text, waiter) in _waiters)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                waiter.TrySetResult();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM first, as an orchestrator stops it; then make sure.
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.Dispose();
            try
            {
                await _exited.Task.WaitAsync(StopTimeout);
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
