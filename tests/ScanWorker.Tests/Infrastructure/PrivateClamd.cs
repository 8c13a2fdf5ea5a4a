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

    private void Signal(string signal)
    {
        var pid = File.ReadAllText(Path.Combine(_knobs["CLAMD_DIR"], "clamd.pid")).Trim();
        using var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, pid]);
        kill.WaitForExit(10_000);
        Assert.Equal(0, kill.ExitCode);
    }
}
