using Microsoft.Extensions.Options;
using ScanWorker.Diagnostics;

namespace ScanWorker.Clamd;

/// <summary>
/// Watches clamd in two independent loops, so a slow one never delays the other: a heartbeat (PING every
/// <see cref="ClamdOptions.HeartbeatInterval"/>) that drives the breaker in <see cref="ClamdAvailability"/>, and the
/// details (STATS and VERSION every <see cref="ClamdOptions.MonitorInterval"/>, the engine canary when due) for metrics,
/// signature freshness and trust in clean answers.
/// </summary>
public sealed class ClamdMonitor(
    IClamdClient clamd,
    ClamdVersionCache versions,
    SignatureFreshness freshness,
    ClamdAvailability availability,
    EngineCanary canary,
    IOptions<ClamdOptions> options,
    IOptions<EngineCanaryOptions> canaryOptions,
    TimeProvider time,
    ILogger<ClamdMonitor> logger) : BackgroundService
{
    private readonly Lock _writing = new();
    private volatile ClamdSnapshot _current = new(false, null, null, null);

    /// <summary>The last thing clamd said; <see cref="ClamdSnapshot.Up"/> is false until the first PONG.</summary>
    public ClamdSnapshot Current => _current;

    /// <summary>How old clamd's signatures are, when it reports their date.</summary>
    public TimeSpan? SignatureAge => _current.Version?.SignatureDate is { } date ? time.GetUtcNow() - date : null;

    /// <summary>One heartbeat: PING within <see cref="ClamdOptions.HeartbeatTimeout"/>, and the breaker's verdict from it.</summary>
    public async Task<bool> HeartbeatAsync(CancellationToken cancellationToken)
    {
        var limit = options.Value.HeartbeatTimeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await clamd.PingAsync(timeout.Token);
            availability.MarkUp(clamd.Address.ToString());
            SetUp(true);
            return true;
        }
        catch (ClamdProtocolException exception)
        {
            // It answered, so it is neither down nor frozen; what it said is the scans' problem, not the breaker's.
            logger.ClamdPingAnsweredOddly(exception.Message);
            availability.MarkUp(clamd.Address.ToString());
            SetUp(false);
            return false;
        }
        catch (Exception exception) when (ClamdFailure.Is(exception, cancellationToken))
        {
            availability.MarkDown(exception is ClamdUnavailableException
                ? $"clamd at {clamd.Address} refuses connections ({exception.InnerException?.Message ?? exception.Message})"
                : $"clamd at {clamd.Address} did not answer PING within {limit.TotalSeconds:0.#} s (frozen or overloaded)");
            SetUp(false);
            return false;
        }
    }

    /// <summary>
    /// Raised (previous version, new version) when clamd's signature version goes up between two reads of this worker.
    /// Handlers must not block: they run on the monitor's loop.
    /// </summary>
    public event Action<int, int>? SignatureVersionRaised;

    /// <summary>Reads STATS and VERSION now (also what the details loop does on each tick).</summary>
    public async Task<ClamdSnapshot> CheckAsync(CancellationToken cancellationToken)
    {
        var before = _current.Version?.SignatureVersion;
        try
        {
            var stats = await clamd.GetStatsAsync(cancellationToken);
            var version = await versions.GetAsync(cancellationToken);
            Update(current => current with { Stats = stats, Version = version });
        }
        catch (Exception exception) when (ClamdFailure.Is(exception, cancellationToken))
        {
            // The heartbeat decides whether clamd is up; a failed STATS only leaves the last values in place.
        }

        var next = _current;
        freshness.Evaluate(next.Version);
        if (before is { } previous && next.Version?.SignatureVersion is { } now && now > previous)
        {
            SignatureVersionRaised?.Invoke(previous, now);
        }

        return next;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(HeartbeatLoopAsync(stoppingToken), DetailsLoopAsync(stoppingToken));

    private async Task HeartbeatLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        do
        {
            await HeartbeatAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task DetailsLoopAsync(CancellationToken stoppingToken)
    {
        var canaryDue = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(Min(options.Value.MonitorInterval, canaryOptions.Value.Interval), time);
        do
        {
            if (availability.IsDown)
            {
                continue;
            }

            var snapshot = await CheckAsync(stoppingToken);
            if (canary.IsEnabled && (time.GetUtcNow() >= canaryDue || canary.IsUnprovenFor(snapshot.Version)) && await RunCanaryAsync(snapshot.Version, stoppingToken))
            {
                canaryDue = time.GetUtcNow() + canaryOptions.Value.Interval;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>False when clamd went down during the run; the next tick after it is back runs the canary again.</summary>
    private async Task<bool> RunCanaryAsync(ClamdVersion? version, CancellationToken stoppingToken)
    {
        // A canary scan on a clamd that freezes meanwhile ends with the breaker, not with the scan timeout.
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, availability.DownToken);
        try
        {
            await canary.RunAsync(version, cut.Token);
            return true;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void SetUp(bool up) => Update(current => current with { Up = up, CheckedAt = time.GetUtcNow() });

    // Both loops write the snapshot; each changes only its own fields of the latest one.
    private void Update(Func<ClamdSnapshot, ClamdSnapshot> change)
    {
        lock (_writing)
        {
            _current = change(_current);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
