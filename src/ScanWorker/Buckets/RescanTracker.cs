using MassTransit;
using ScanWorker.Diagnostics;

namespace ScanWorker.Buckets;

/// <summary>
/// Counts every rescan's pages and results into its <see cref="RescanTally"/> and publishes its one
/// <c>RescanCompleted</c>, with a log line of the totals, when it is over. Its queue has a single active consumer, so
/// one worker counts at a time, whichever worker listed or scanned; when that worker stops, the next one counts on from
/// the messages it receives (the completion then says from which page).
/// </summary>
[ExcludeFromConfigureEndpoints]
public sealed class RescanTracker(RescanTallies tallies, TimeProvider time, ILogger<RescanTracker> logger) : IConsumer<RescanProgress>
{
    public async Task Consume(ConsumeContext<RescanProgress> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var progress = context.Message;
        var tally = tallies.For(progress);
        tally.Add(progress);
        if (!tally.IsComplete)
        {
            return;
        }

        var completed = tally.Completed(time.GetUtcNow());
        await context.Publish(completed, context.CancellationToken);
        tallies.Remove(progress.RescanId);
        logger.RescanCompleted(completed.RescanId, completed.Bucket, completed.Prefix ?? string.Empty, completed.Listed, completed.Queued,
            completed.Skipped, completed.Clean, completed.Infected, completed.Errors, completed.CountedFromPage);
    }
}
