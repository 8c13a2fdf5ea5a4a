using MassTransit;
using ScanWorker.Contracts;
using ScanWorker.Messaging;
using ScanWorker.Scanning;

namespace ScanWorker.Buckets;

/// <summary>
/// Scans one bucket object through the same pipeline as <c>ScanRequested</c>, with the bucket steps around
/// the publish: the object is checked again before its verdict is published, and the verdict is written
/// back after. Serves both the live lane and the backlog lane.
/// </summary>
[ExcludeFromConfigureEndpoints]
public sealed class BucketObjectScanConsumer(ScanPipeline pipeline, BucketWriteBack writeBack) : IConsumer<ScanBucketObject>
{
    public Task Consume(ConsumeContext<ScanBucketObject> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var item = context.Message;
        var request = new ScanRequested
        {
            ScanId = item.ScanId,
            Target = item.Target,
            Metadata = Metadata(item),
            RequestedAt = item.RequestedAt,
        };
        // The worker's own metadata is small, so no cap applies; the target must be an S3 object.
        var scan = ScanRequestRules.Admit(request, int.MaxValue);
        if (scan.Kind is not ScanTargetKind.S3)
        {
            scan = scan with { Kind = null, Problem = scan.Problem ?? "a bucket scan needs a bucket and a key" };
        }

        return pipeline.RunAsync(context, scan, new ScanFollowUp(
            (outcome, cancellationToken) => writeBack.ConfirmAsync(item, outcome, cancellationToken),
            (outcome, cancellationToken) => writeBack.WriteAsync(item, outcome, cancellationToken)));
    }

    /// <summary>Echoed in the result, so subscribers can tell bucket scans apart and correlate them.</summary>
    private static Dictionary<string, string> Metadata(ScanBucketObject item)
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

        return metadata;
    }
}
