using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Clamd;
using ScanWorker.Diagnostics;

namespace ScanWorker.Buckets;

/// <summary>
/// Tells the signature-updates queue when this worker's clamd moves to a newer signature version; the queue's one active
/// consumer (<see cref="SignatureUpdateConsumer"/>) turns the version into rescans once, however many workers report it.
/// </summary>
public sealed class SignatureUpdateReporter(ClamdMonitor clamd, IBus bus, IOptions<BucketEventsOptions> options,
    ILogger<SignatureUpdateReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.SignatureUpdateRescans.Count > 0)
        {
            clamd.SignatureVersionRaised += Report;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        clamd.SignatureVersionRaised -= Report;
        return Task.CompletedTask;
    }

    private void Report(int previous, int version) => _ = ReportAsync(previous, version);

    private async Task ReportAsync(int previous, int version)
    {
        try
        {
            var queue = await bus.GetSendEndpoint(new Uri($"exchange:{options.Value.SignatureUpdatesQueue}"));
            await queue.Send(new SignatureUpdated { Version = version, Previous = previous });
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Another worker reports the same update; a lost report costs this version's rescans only if all are lost.
            logger.SignatureUpdateNotReported(version, exception.Message);
        }
    }
}
