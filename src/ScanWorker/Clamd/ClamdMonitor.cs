using Microsoft.Extensions.Options;
using ScanWorker.Diagnostics;

namespace ScanWorker.Clamd;

/// <summary>
/// Asks clamd every <see cref="ClamdOptions.MonitorInterval"/> whether it is up (PING), how busy it is
/// (STATS) and which signatures it runs (VERSION), for metrics and for the signature-freshness check.
/// </summary>
public sealed class ClamdMonitor(
    IClamdClient clamd,
    ClamdVersionCache versions,
    SignatureFreshness freshness,
    IOptions<ClamdOptions> options,
    TimeProvider time,
    ILogger<ClamdMonitor> logger) : BackgroundService
{
    private volatile ClamdSnapshot _current = new(false, null, null, null);

    /// <summary>The last thing clamd said; <see cref="ClamdSnapshot.Up"/> is false until the first PING.</summary>
    public ClamdSnapshot Current => _current;

    /// <summary>How old clamd's signatures are, when it reports their date.</summary>
    public TimeSpan? SignatureAge => _current.Version?.SignatureDate is { } date ? time.GetUtcNow() - date : null;

    /// <summary>Asks clamd now; also what the background loop does on each tick.</summary>
    public async Task<ClamdSnapshot> CheckAsync(CancellationToken cancellationToken)
    {
        var previous = _current;
        ClamdSnapshot next;
        try
        {
            await clamd.PingAsync(cancellationToken);
            var stats = await clamd.GetStatsAsync(cancellationToken);
            var version = await versions.GetAsync(cancellationToken);
            next = new ClamdSnapshot(true, version, stats, time.GetUtcNow());
        }
        catch (Exception exception) when (ClamdFailure.Is(exception, cancellationToken))
        {
            next = previous with { Up = false, CheckedAt = time.GetUtcNow() };
            // Only the fall from up to down; at start the start-up probe has already said it.
            if (previous.Up)
            {
                logger.ClamdNotReachable(exception.Message);
            }
        }

        if (next.Up && !previous.Up)
        {
            logger.ClamdReachable(clamd.Address.ToString());
        }

        _current = next;
        freshness.Evaluate(next.Version);
        return next;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MonitorInterval, time);
        do
        {
            await CheckAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
