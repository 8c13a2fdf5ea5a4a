using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Clamd;
using ScanWorker.Contracts;
using ScanWorker.Diagnostics;
using ScanWorker.Scanning;
using ScanWorker.Sources;

namespace ScanWorker.Messaging;

/// <summary>
/// The path of every queued scan, whichever queue it came from: scan, decide whether to retry, publish
/// the one result, log it. A transient failure is thrown to the retry policy; on the last attempt its
/// <c>ScanError</c> (transient) is published first and then the message goes to the error queue. A scan cut
/// off by shutdown ends in <see cref="OperationCanceledException"/>: nothing is published, the broker redelivers.
/// </summary>
public sealed class ScanPipeline(
    ScanCore core,
    ScanSources sources,
    ClamdAvailability clamd,
    IOptions<ScanningOptions> scanning,
    IOptions<MessagingOptions> messaging,
    ScanWorkerTelemetry telemetry,
    TimeProvider time,
    ILogger<ScanPipeline> logger)
{
    /// <param name="context">The message being consumed; results are published through it.</param>
    /// <param name="scan">The validated request (bucket scans are turned into one).</param>
    /// <param name="followUp">Bucket steps before and after the publish, if any.</param>
    public async Task RunAsync(ConsumeContext context, AdmittedScan scan, ScanFollowUp? followUp = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(scan);
        var request = scan.Request;
        var started = time.GetTimestamp();
        var cancellationToken = context.CancellationToken;
        using var activity = telemetry.ActivitySource.StartActivity("scan");
        activity?.SetTag("scan.id", request.ScanId);
        var outcome = await ScanAsync(scan, cancellationToken);
        if (followUp is not null && !outcome.Transient)
        {
            if (await followUp.Review(outcome, cancellationToken) is not { } reviewed)
            {
                return;
            }

            outcome = reviewed;
        }

        var attempt = context.GetRetryAttempt();
        var retryLimit = messaging.Value.RetryLimit;
        if (outcome.Transient && attempt < retryLimit)
        {
            logger.ScanRetrying(request.ScanId, attempt + 1, retryLimit, outcome.Detail);
            telemetry.MessageRetried();
            throw new TransientScanException(outcome.Detail);
        }

        var elapsed = time.GetElapsedTime(started);
        var elapsedMs = (long)elapsed.TotalMilliseconds;
        var source = scan.SourceLabel;
        telemetry.RecordScan(source, outcome, elapsed);
        activity?.SetTag("scan.source", source).SetTag("scan.verdict", outcome.Verdict.ToString())
            .SetTag("scan.reason", outcome.Reason?.ToString()).SetTag("scan.bytes", outcome.ScannedBytes);
        await PublishAsync(context, ScanResults.Create(request, outcome, time.GetUtcNow(), elapsedMs));
        logger.ScanCompleted(request.ScanId, source, outcome.Verdict, outcome.Reason, outcome.ScannedBytes, elapsedMs, outcome.Detail);
        if (followUp is not null)
        {
            await followUp.AfterPublish(outcome, cancellationToken);
        }

        if (outcome.Transient)
        {
            // Retries are exhausted and the result says so; the message goes to the error queue for replay.
            throw new TransientScanException($"gave up after {attempt + 1} attempts: {outcome.Detail}");
        }
    }

    /// <summary>
    /// While clamd is known down, a scan is not the message's failure: it waits for clamd (the consumption of the queue
    /// pauses meanwhile, see <see cref="ScanEndpointPause"/>) instead of burning a retry, and is redelivered if the wait is
    /// cut off by a stop.
    /// </summary>
    private async Task<ScanOutcome> ScanAsync(AdmittedScan scan, CancellationToken cancellationToken)
    {
        if (scan.Kind is not { } kind)
        {
            return ScanOutcome.Error(ScanErrorReason.InvalidRequest, scan.Problem ?? "invalid request");
        }

        while (true)
        {
            var outcome = await core.ScanAsync(sources.For(kind), scan.Request.Target, scanning.Value.MaxObjectBytes, cancellationToken);
            if (outcome.Reason != ScanErrorReason.ScannerUnavailable || !clamd.IsDown)
            {
                return outcome;
            }

            await clamd.WaitUntilUpAsync(cancellationToken);
        }
    }

    private static Task PublishAsync(ConsumeContext context, ScanCompleted result) => result switch
    {
        ScanClean clean => context.Publish(clean, context.CancellationToken),
        ScanInfected infected => context.Publish(infected, context.CancellationToken),
        ScanError error => context.Publish(error, context.CancellationToken),
        _ => throw new InvalidOperationException($"unknown result type {result.GetType()}"),
    };
}
