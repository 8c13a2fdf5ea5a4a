using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ScanWorker.Buckets;

/// <summary>
/// Holds a rescan to <see cref="BucketEventsOptions.RescanObjectsPerSecond"/> objects per second (a token
/// bucket refilled every 100 ms), shared by every rescan this worker runs.
/// </summary>
public sealed class RescanPacer : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);
    private readonly TokenBucketRateLimiter _limiter;

    public RescanPacer(IOptions<BucketEventsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var perPeriod = Math.Max(1, options.Value.RescanObjectsPerSecond / 10);
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perPeriod,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = Period,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    public async Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        using var lease = await _limiter.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            throw new InvalidOperationException("the rescan rate limiter refused a permit");
        }
    }

    public void Dispose() => _limiter.Dispose();
}
