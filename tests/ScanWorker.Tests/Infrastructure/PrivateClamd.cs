using ScanWorker.Clamd;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>A clamd owned by one test, which may stop and restart it (same port, same data dir).</summary>
public sealed class PrivateClamd
{
    private readonly IReadOnlyDictionary<string, string> _knobs;
    private readonly TimeSpan _startTimeout;
    private readonly TimeSpan _stopTimeout;

    internal PrivateClamd(ClamdAddress address, IReadOnlyDictionary<string, string> knobs, TimeSpan startTimeout, TimeSpan stopTimeout)
    {
        Address = address;
        _knobs = knobs;
        _startTimeout = startTimeout;
        _stopTimeout = stopTimeout;
    }

    public ClamdAddress Address { get; }

    public Task StopAsync() => ServerScript.RunAsync("clamd.sh", "stop", _knobs, _stopTimeout);

    public Task StartAsync() => ServerScript.RunAsync("clamd.sh", "start", _knobs, _startTimeout);

    /// <summary>
    /// SIGSTOP: the process stays, its listening socket still completes connections (the kernel does that), and nothing
    /// is ever answered: what a hung clamd or a node under memory pressure looks like from outside.
    /// </summary>
    public void Freeze() => Signal("STOP");

    /// <summary>SIGCONT: a frozen clamd carries on, answering what waited in its sockets.</summary>
    public void Thaw() => Signal("CONT");

    /// <summary>
    /// New signatures, as a database update brings them: <paramref name="lines"/> into a file of this clamd's database,
    /// then RELOAD; returns once clamd answers with them (it keeps scanning with the old ones while it reloads).
    /// </summary>
    /// <param name="file">The database file, e.g. <c>update.hdb</c>.</param>
    /// <param name="lines">Its signature lines.</param>
    /// <param name="detected">Content the new signatures detect, scanned until clamd reports it.</param>
    /// <param name="timeout">How long the reload may take.</param>
    public async Task AddSignaturesAsync(string file, IEnumerable<string> lines, byte[] detected, TimeSpan timeout)
    {
        await File.WriteAllLinesAsync(Path.Combine(_knobs["CLAMD_DIR"], "db", file), lines, TestContext.Current.CancellationToken);
        using (var client = new System.Net.Sockets.TcpClient())
        {
            await client.ConnectAsync(Address.Host!, Address.Port, TestContext.Current.CancellationToken);
            await client.GetStream().WriteAsync("zRELOAD\0"u8.ToArray(), TestContext.Current.CancellationToken);
        }

        using var harness = ClamdHarness.For(Address);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        while ((await harness.Client.ScanAsync(detected, deadline.Token)).Reply is not ClamdReply.Infected)
        {
            // Polls a real condition (clamd swaps its engine when the reload is done), bounded by the deadline.
            await Task.Delay(200, deadline.Token);
        }
    }

    private void Signal(string signal)
    {
        var pid = File.ReadAllText(Path.Combine(_knobs["CLAMD_DIR"], "clamd.pid")).Trim();
        using var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, pid]);
        kill.WaitForExit(10_000);
        Assert.Equal(0, kill.ExitCode);
    }
}
