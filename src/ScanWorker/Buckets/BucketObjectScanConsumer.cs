using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Contracts;
using ScanWorker.Diagnostics;
using ScanWorker.Messaging;
using ScanWorker.Scanning;

namespace ScanWorker.Buckets;

/// <summary>
/// Scans one bucket object, on the live lane or the backlog lane, top to bottom: scan through the core, check that the
/// object is still the one scanned, retry or publish the result, decide the write-back and carry it out.
/// </summary>
[ExcludeFromConfigureEndpoints]
public sealed class BucketObjectScanConsumer(
    QueuedScans scans,
    ScannedObjectCheck check,
    BucketWriteBack writeBack,
    IOptions<BucketEventsOptions> options,
    ScanWorkerTelemetry telemetry,
    TimeProvider time,
    ILogger<BucketObjectScanConsumer> logger) : IConsumer<ScanBucketObject>
{
    public async Task Consume(ConsumeContext<ScanBucketObject> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = time.GetTimestamp();
        var item = context.Message;
        var target = item.Target;
        var cancellationToken = context.CancellationToken;
        using var activity = scans.StartActivity(item.ScanId);

        var isObject = ScanTargetRules.Classify(target, out var problem) == ScanTargetKind.S3;
        var outcome = isObject
            ? await scans.ScanAsync(ScanTargetKind.S3, target, cancellationToken)
            : ScanOutcome.Error(ScanErrorReason.InvalidRequest, problem ?? "a bucket scan needs a bucket and a key");
        if (outcome.Reason is ScanErrorReason.NotFound or ScanErrorReason.Changed && item.MayPrecedeTheObject)
        {
            // A Ceph upload start: the object is not there yet, and its own event follows.
            logger.BucketObjectNotYetThere(item.ScanId, target.Bucket!, target.Key!, outcome.Detail);
            return;
        }

        if (outcome.Reason is ScanErrorReason.NotFound && options.Value.CleanAction == CleanAction.Promote
            && await check.PromotedAsync(target, ObjectPlace.Clean(options.Value), cancellationToken))
        {
            // Redelivered after its promotion: its clean result was published before the copy was made.
            logger.BucketObjectAlreadyPromoted(item.ScanId, target.Bucket!, target.Key!);
            return;
        }

        if (isObject)
        {
            outcome = await check.RecheckAsync(target, outcome, cancellationToken);
        }

        scans.RetryIfTransient(context, item.ScanId, outcome);
        await scans.PublishAsync(context, RequestAnswered(item), isObject ? "s3" : "invalid", outcome, started);
        if (item.RescanId is { } rescanId)
        {
            await CountForRescanAsync(context, item, rescanId, outcome);
        }

        var action = WriteBackDecision.For(outcome.Verdict, outcome.Reason, target.Bucket ?? "", target.Key ?? "", options.Value);
        await writeBack.CarryOutAsync(target, item.ScanId, action, outcome, cancellationToken);
        QueuedScans.GiveUpIfTransient(context, outcome);
    }

    /// <summary>A rescan's object has its result: its tally and its metric count it.</summary>
    private async Task CountForRescanAsync(ConsumeContext context, ScanBucketObject item, Guid rescanId, ScanOutcome outcome)
    {
        var result = outcome.ResultLabel;
        telemetry.RescanObjects.Add(1, rescanId.ToString(), result);
        var progress = await context.GetSendEndpoint(new Uri($"exchange:{options.Value.RescanProgressQueue}"));
        await progress.Send(new RescanProgress { RescanId = rescanId, Bucket = item.Target.Bucket ?? string.Empty, Verdict = result },
            context.CancellationToken);
    }

    /// <summary>What the result echoes; the metadata lets subscribers tell bucket scans apart and correlate them.</summary>
    private static ScanRequested RequestAnswered(ScanBucketObject item)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["origin"] = item.Origin };
        if (item.EventName is { } eventName)
        {
            metadata["eventName"] = eventName;
        }

        if (item.Sequencer is { } sequencer)
        {
            metadata["sequencer"] = sequencer;
        }

        if (item.RescanId is { } rescanId)
        {
            metadata["rescanId"] = rescanId.ToString();
        }

        // What new signatures changed: "was clean under signatures 27000, is infected now".
        if (item.PreviousStatus is { } previousStatus)
        {
            metadata["previousStatus"] = previousStatus;
        }

        if (item.PreviousSignatureVersion is { } previousVersion)
        {
            metadata["previousSignatureVersion"] = previousVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new ScanRequested { ScanId = item.ScanId, Target = item.Target, Metadata = metadata, RequestedAt = item.RequestedAt };
    }
}
