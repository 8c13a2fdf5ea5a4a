using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Hosting;

/// <summary>
/// The README's first command, as a user runs it (docs/first-hour.md): <c>bash scripts/run-local.sh</c> installs and starts its
/// servers, runs the worker until it is ready, scans, and stops everything on Ctrl-C; twice in a row, the second time
/// with its output piped (<c>| tee</c>), where Ctrl-C reaches the reader too and kills it first.
/// </summary>
[RealServers]
public sealed class LocalRunTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(90);

    [Fact(Timeout = 900_000)]
    public async Task The_local_run_gets_ready_scans_EICAR_and_stops_cleanly_twice_in_a_row_also_when_piped()
    {
        var dir = Directory.CreateTempSubdirectory("scanworker-local-run-").FullName;
        var ports = new Dictionary<string, string>
        {
            ["SCANWORKER_HTTP_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RMQ_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RMQ_DIST_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CLAMD_TCP_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["S3_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        try
        {
            for (var run = 1; run <= 2; run++)
            {
                await RunOnceAsync(dir, ports, run, piped: run == 2);
            }
        }
        finally
        {
            await RunAsync("bash", ["scripts/servers/stop-all.sh", dir]);
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task RunOnceAsync(string dir, Dictionary<string, string> ports, int run, bool piped)
    {
        using var script = new LocalRun(dir, ports, piped);
        try
        {
            await ScanAndStopAsync(script, ports, run, piped);
        }
        catch
        {
            // Whatever failed, the script's own lines say why (a fresh CI machine is where this has failed).
            TestContext.Current.TestOutputHelper?.WriteLine($"run {run} (piped: {piped}), run-local.sh printed:\n{script.Output}");
            throw;
        }
    }

    private static async Task ScanAndStopAsync(LocalRun script, Dictionary<string, string> ports, int run, bool piped)
    {
        await script.Ready.WaitAsync(ReadyTimeout, TestContext.Current.CancellationToken);
        var http = int.Parse(ports["SCANWORKER_HTTP_PORT"], System.Globalization.CultureInfo.InvariantCulture);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}"), Timeout = TimeSpan.FromSeconds(30) };

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(TestContent.Eicar), "file", "eicar.com" } };
        using var scan = await client.PostAsync(new Uri("/v2/scan", UriKind.Relative), form, TestContext.Current.CancellationToken);
        var verdict = await scan.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var exitCode = await script.InterruptAsync(StopTimeout);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.NotAcceptable, scan.StatusCode);
        Assert.Contains("\"Status\":\"FOUND\"", verdict, StringComparison.Ordinal);
        Assert.Contains("TEST signatures", script.Output, StringComparison.Ordinal);
        if (!piped)
        {
            // Piped, the reader died with Ctrl-C: the pipeline's status is tee's, and nobody reads the last lines.
            Assert.True(exitCode == 0, $"run {run} exited with {exitCode}:\n{script.Output}");
            Assert.Contains("run-local: stopped", script.Output, StringComparison.Ordinal);
        }

        foreach (var port in new[] { "SCANWORKER_HTTP_PORT", "RMQ_PORT", "CLAMD_TCP_PORT", "S3_PORT" })
        {
            Assert.False(await ListensAsync(int.Parse(ports[port], System.Globalization.CultureInfo.InvariantCulture)),
                $"{port} still answers after run {run}");
        }
    }

    private static async Task<bool> ListensAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = RepositoryRoot.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(StopTimeout, TestContext.Current.CancellationToken);
    }

    /// <summary><c>scripts/run-local.sh</c> as a child process, its output recorded line by line.</summary>
    private sealed class LocalRun : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _lines = new();
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private readonly bool _piped;

        public LocalRun(string dir, Dictionary<string, string> ports, bool piped)
        {
            _piped = piped;
            // Piped: as in a terminal, the script and its reader are one process group (setsid makes this process its
            // leader), and Ctrl-C signals the whole group.
            var start = new ProcessStartInfo(piped ? "setsid" : "bash",
                piped ? ["bash", "-c", "bash scripts/run-local.sh 2>&1 | tee /dev/null"] : ["scripts/run-local.sh"])
            {
                WorkingDirectory = RepositoryRoot.Path,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["SCANWORKER_LOCAL_DIR"] = dir;
            // No downloads in tests: the test signatures are what CI has anyway.
            start.Environment["SCANWORKER_SIGNATURES"] = "test";
            foreach (var (name, value) in ports)
            {
                start.Environment[name] = value;
            }

            _process = new Process { StartInfo = start, EnableRaisingEvents = true };
            _process.OutputDataReceived += (_, line) => Record(line.Data);
            _process.ErrorDataReceived += (_, line) => Record(line.Data);
            _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"run-local.sh exited early:\n{Output}"));
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public Task Ready => _ready.Task;

        public string Output => string.Join('\n', _lines);

        /// <summary>Ctrl-C: SIGINT to the script (piped: to its whole process group, reader included), then its exit code.</summary>
        public async Task<int> InterruptAsync(TimeSpan timeout)
        {
            var pid = _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await RunAsync("kill", _piped ? ["-INT", "--", $"-{pid}"] : ["-INT", pid]);
            await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(timeout, TestContext.Current.CancellationToken);
            return _process.ExitCode;
        }

        private void Record(string? line)
        {
            if (line is null)
            {
                return;
            }

            _lines.Enqueue(line);
            if (line.Contains("ScanWorker is ready", StringComparison.Ordinal))
            {
                _ready.TrySetResult();
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }
}
