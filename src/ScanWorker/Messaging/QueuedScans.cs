using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Clamd;
using ScanWorker.Contracts;
using ScanWorker.Diagnostics;
using ScanWorker.Scanning;

namespace ScanWorker.Messaging;

/// <summary>
/// The steps every queued scan takes, whichever queue it came from, called in this order by its consumer:
/// <see cref="ScanAsync"/>, <see cref="RetryIfTransient"/>, <see cref="PublishAsync"/> (the one result), and
/// <see cref="GiveUpIfTransient"/>. A transient failure is thrown to the retry policy; on the last attempt its
/// <c>ScanError</c> (transient) is published first and then the message goes to the error queue. A scan cut off by
/// shutdown ends in <see cref="OperationCanceledException"/>: nothing is published, the broker redelivers.
/// </summary>
public sealed class QueuedScans(
    ScanCore core,
    ScanSources sources,
    ClamdAvailability clamd,
    IOptions<ScanningOptions> scanning,
    IOptions<MessagingOptions> messaging,
    ScanWorkerTelemetry telemetry,
    TimeProvider time,
    ILogger<QueuedScans> logger)
{
    /// <summary>The trace span of one queued scan, from its receipt to its result.</summary>
    public Activity? StartActivity(Guid scanId) => telemetry.ActivitySource.StartActivity("scan")?.SetTag("scan.id", scanId);

    /// <summary>
    /// Scans <paramref name="target"/>. While clamd is known down, a scan is not the message's failure: it waits for
    /// clamd (the consumption of the queue pauses meanwhile, see <see cref="ScanEndpointPause"/>) instead of burning a
    /// retry, and is redelivered if the wait is cut off by a stop.
    /// </summary>
    public async Task<ScanOutcome> ScanAsync(ScanTargetKind kind, ScanTarget target, CancellationToken cancellationToken)
    {
        while (true)
        {
            var outcome = await core.ScanAsync(sources.For(kind), target, scanning.Value.MaxObjectBytes, cancellationToken);
            if (outcome.Reason != ScanErrorReason.ScannerUnavailable || !clamd.IsDown)
            {
                return outcome;
            }

            await clamd.WaitUntilUpAsync(cancellationToken);
        }
    }

    /// <summary>Throws <see cref="TransientScanException"/> to the retry policy while a transient failure has retries left.</summary>
    public void RetryIfTransient(ConsumeContext context, Guid scanId, ScanOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(outcome);
        var attempt = context.GetRetryAttempt();
        var retryLimit = messaging.Value.RetryLimit;
        if (outcome.Transient && attempt < retryLimit)
        {
            logger.ScanRetrying(scanId, attempt + 1, retryLimit, outcome.Detail);
            telemetry.MessagesRetried.Add(1);
            throw new TransientScanException(outcome.Detail);
        }
    }

    /// <summary>Publishes the one result of <paramref name="request"/>, records it and logs it.</summary>
    /// <param name="context">The message being consumed; the result is published through it.</param>
    /// <param name="request">What the result echoes.</param>
    /// <param name="source">The source label of logs and metrics.</param>
    /// <param name="outcome">The verdict.</param>
    /// <param name="started">When the message was received (<see cref="TimeProvider.GetTimestamp"/>).</param>
    public async Task PublishAsync(ConsumeContext context, ScanRequested request, string source, ScanOutcome outcome, long started)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(outcome);
        var elapsed = time.GetElapsedTime(started);
        var elapsedMs = (long)elapsed.TotalMilliseconds;
        telemetry.RecordScan(source, outcome, elapsed);
        // Only the span of StartActivity: without a listener, Current is MassTransit's consume span.
        (Activity.Current is { } span && span.Source == telemetry.ActivitySource ? span : null)?.SetTag("scan.source", source).SetTag("scan.verdict", outcome.Verdict.ToString())
            .SetTag("scan.reason", outcome.Reason?.ToString()).SetTag("scan.bytes", outcome.ScannedBytes);
        var result = ResultEvents.Create(request, outcome, time.GetUtcNow(), elapsedMs);
        await (result switch
        {
            ScanClean clean => context.Publish(clean, context.CancellationToken),
            ScanInfected infected => context.Publish(infected, context.CancellationToken),
            ScanError error => context.Publish(error, context.CancellationToken),
            _ => throw new InvalidOperationException($"unknown result type {result.GetType()}"),
        });
        logger.ScanCompleted(request.ScanId, source, outcome.Verdict.ToString(), outcome.Reason, outcome.ScannedBytes, elapsedMs, outcome.Detail);
    }

    /// <summary>
    /// After a transient failure's last attempt was published: the message goes to the error queue for replay.
    /// </summary>
    public static void GiveUpIfTransient(ConsumeContext context, ScanOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Transient)
        {
            throw new TransientScanException($"gave up after {context.GetRetryAttempt() + 1} attempts: {outcome.Detail}");
        }
    }
}
