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
}
