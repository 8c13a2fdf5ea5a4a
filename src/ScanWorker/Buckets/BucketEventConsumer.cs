using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Contracts;
using ScanWorker.Diagnostics;
using ScanWorker.Scanning;
using ScanWorker.Sources;

namespace ScanWorker.Buckets;

/// <summary>
/// Turns one bucket notification into one scan message per object it announces, on the live lane; records
/// that carry no new content are logged and dropped. A body that is not a notification goes to the error queue.
/// </summary>
[ExcludeFromConfigureEndpoints]
public sealed class BucketEventConsumer(
    IOptions<BucketEventsOptions> options,
    IOptions<S3Options> s3,
    S3Access access,
    ScanWorkerTelemetry telemetry,
    TimeProvider time,
    ILogger<BucketEventConsumer> logger) : IConsumer<BucketNotification>
{
    public const string Origin = "bucket-event";

    public async Task Consume(ConsumeContext<BucketNotification> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = options.Value;
        BucketEventBatch batch;
        try
        {
            batch = BucketEventParser.Parse(context.ReceiveContext.Body.GetBytes());
        }
        catch (BucketEventFormatException exception)
        {
            telemetry.BucketEventRecords.Add(1, "unreadable");
            logger.BucketEventUnreadable(settings.Queue, exception.Message);
            throw;
        }

        if (batch.IsTestEvent)
        {
            telemetry.BucketEventRecords.Add(1, "test");
            logger.BucketTestEvent(settings.Queue);
            return;
        }

        var quarantine = ObjectPlace.Quarantine(settings);
        var clean = settings.CleanAction == CleanAction.Promote ? ObjectPlace.Clean(settings) : null;
        var own = OwnPrincipals(settings, s3.Value);
        var now = time.GetUtcNow();
        var scans = new List<ScanBucketObject>(batch.Records.Count);
        var refusedCount = 0;
        foreach (var record in batch.Records)
        {
            if (BucketEventFilter.WhyIgnored(record, quarantine, own, clean) is { } reason)
            {
                logger.BucketRecordIgnored(record.EventName, record.Bucket, record.Key, reason);
                continue;
            }

            // Refused before anything is read, tagged, copied or deleted there: a forged event buys no S3 rights.
            if ((S3ObjectNames.BucketProblem(record.Bucket) ?? S3ObjectNames.KeyProblem(record.Key) ?? access.Refusal(record.Bucket)) is { } refused)
            {
                refusedCount++;
                telemetry.BucketEventRecords.Add(1, "refused");
                logger.BucketRefused(record.EventName, record.Bucket, refused);
                continue;
            }

            scans.Add(new ScanBucketObject
            {
                ScanId = BucketScanId.For(record.Bucket, record.Key, record.VersionId ?? record.ETag, record.Sequencer),
                Target = new ScanTarget { Bucket = record.Bucket, Key = record.Key, VersionId = record.VersionId, ETag = record.ETag },
                Origin = Origin,
                EventName = record.EventName,
                Sequencer = record.Sequencer,
                MayPrecedeTheObject = BucketEventFilter.MayPrecedeTheObject(record),
                RequestedAt = now,
            });
        }

        if (scans.Count > 0)
        {
            var lane = await context.GetSendEndpoint(new Uri($"exchange:{settings.ObjectsQueue}"));
            await lane.SendBatch(scans, context.CancellationToken);
        }

        telemetry.BucketEventRecords.AddIfPositive(scans.Count, "queued");
        telemetry.BucketEventRecords.AddIfPositive(batch.Records.Count - scans.Count - refusedCount, "ignored");
        logger.BucketObjectsQueued(scans.Count, batch.Records.Count - scans.Count);
    }

    /// <summary>BucketEvents:OwnPrincipals, or else the worker's S3 access key (MinIO reports it as the principal).</summary>
    public static IReadOnlySet<string> OwnPrincipals(BucketEventsOptions options, S3Options s3)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(s3);
        return options.OwnPrincipals.Count > 0
            ? new HashSet<string>(options.OwnPrincipals, StringComparer.Ordinal)
            : new HashSet<string>(s3.AccessKey is { Length: > 0 } key ? [key] : [], StringComparer.Ordinal);
    }
}
