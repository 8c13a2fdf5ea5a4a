using ScanWorker.Diagnostics;

namespace ScanWorker.Clamd;

/// <summary>
/// The circuit breaker in front of clamd, driven by the heartbeat in <see cref="ClamdMonitor"/>. While clamd is known
/// down (PING refused) or frozen (PING unanswered), scans do not wait out their timeouts: they fail at once, scans in
/// flight are cut off through <see cref="DownToken"/>, and queued work waits in <see cref="WaitUntilUpAsync"/>.
/// It starts closed: before the first heartbeat nothing is known, and a scan finds out for itself.
/// </summary>
public sealed class ClamdAvailability(TimeProvider time, ILogger<ClamdAvailability> logger)
{
    private readonly Lock _gate = new();
    private State _state = State.Initial();

    /// <summary>Raised after every change between up and down (on the heartbeat's thread).</summary>
    public event Action<bool>? Changed;

    /// <summary>True while clamd is known down or frozen.</summary>
    public bool IsDown => Volatile.Read(ref _state).Down is not null;

    /// <summary>Why clamd is down and since when, or null while it is not known to be.</summary>
    public string? DownReason => Volatile.Read(ref _state) is { Down: { } reason, Since: var since }
        ? $"{reason} (since {since:HH:mm:ss} UTC)"
        : null;

    /// <summary>Cancelled when clamd is declared down; a fresh token after it recovers.</summary>
    public CancellationToken DownToken => Volatile.Read(ref _state).Tripped.Token;

    /// <summary>Completes when clamd is not known to be down (at once if it is not).</summary>
    public Task WaitUntilUpAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _state).Recovered.Task.WaitAsync(cancellationToken);

    /// <summary>The heartbeat's verdict: clamd answered PING.</summary>
    public void MarkUp(string address)
    {
        State previous;
        lock (_gate)
        {
            previous = _state;
            if (previous.Down is null)
            {
                return;
            }

            _state = State.Initial();
        }

        // The old token stays cancelled for whoever still holds it; it has no timer, so it is not disposed.
        previous.Recovered.TrySetResult();
        logger.ClamdBreakerClosed(address, (long)(time.GetUtcNow() - previous.Since).TotalSeconds);
        Changed?.Invoke(false);
    }

    /// <summary>The heartbeat's verdict: clamd refused or did not answer PING, for <paramref name="reason"/>.</summary>
    public void MarkDown(string reason)
    {
        State next;
        lock (_gate)
        {
            if (_state.Down is not null)
            {
                return;
            }

            next = new State(reason, time.GetUtcNow(), _state.Tripped, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _state = next;
        }

        logger.ClamdBreakerOpened(reason);
        next.Tripped.Cancel();
        Changed?.Invoke(true);
    }

    private sealed record State(string? Down, DateTimeOffset Since, CancellationTokenSource Tripped, TaskCompletionSource Recovered)
    {
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope",
            Justification = "A source without a timer holds nothing to release; holders of its token must be able to read it after a change.")]
        public static State Initial()
        {
            var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            recovered.SetResult();
            return new State(null, default, new CancellationTokenSource(), recovered);
        }
    }
}
