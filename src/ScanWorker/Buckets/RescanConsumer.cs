using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Contracts;
using ScanWorker.Diagnostics;
using ScanWorker.Messaging;
using ScanWorker.Scanning;
using ScanWorker.Sources;

namespace ScanWorker.Buckets;

/// <summary>
/// Lists one page of the bucket per message and puts one scan per object on the backlog lane, paced by
/// <see cref="RescanPacer"/>; the next page travels as the same request with a continuation header. A page is
/// short work, so no broker timeout is at risk however big the bucket, and a restart resumes at the last page.
/// </summary>
[ExcludeFromConfigureEndpoints]
public sealed class RescanConsumer(
    IAmazonS3 s3,
    S3Access access,
    RescanPacer pacer,
    IOptions<BucketEventsOptions> options,
    ScanWorkerTelemetry telemetry,
    TimeProvider time,
    ILogger<RescanConsumer> logger) : IConsumer<RescanRequested>
{
    public const string Origin = "rescan";
    public const string ContinuationHeader = "ScanWorker-Rescan-Continuation";
    public const string PageHeader = "ScanWorker-Rescan-Page";

    public async Task Consume(ConsumeContext<RescanRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Message;
        if (request.RescanId == Guid.Empty || string.IsNullOrWhiteSpace(request.Bucket))
        {
            throw new ArgumentException("a RescanRequested needs a rescanId and a bucket");
        }

        if ((S3ObjectNames.BucketProblem(request.Bucket) ?? access.Refusal(request.Bucket)) is { } refused)
        {
            logger.BucketRefused("RescanRequested", request.Bucket, refused);
            return;
        }

        var settings = options.Value;
        var cancellationToken = context.CancellationToken;
        var page = context.Headers.Get(PageHeader, (int?)1) ?? 1;
        var listing = await CallAsync(() => s3.ListObjectsV2Async(new ListObjectsV2Request
        {
            BucketName = request.Bucket,
            Prefix = request.Prefix,
            MaxKeys = settings.RescanPageSize,
            ContinuationToken = context.Headers.Get<string>(ContinuationHeader),
        }, cancellationToken), cancellationToken);

        var lane = await context.GetSendEndpoint(new Uri($"exchange:{settings.RescanQueue}"));
        int queued = 0, skipped = 0;
        foreach (var listed in listing.S3Objects ?? [])
        {
            if ((ObjectKeys.IsFolderMarker(listed.Key) && listed.Size == 0)
                || (request.ModifiedAfter is { } after && listed.LastModified is { } modified && modified.ToUniversalTime() < after.UtcDateTime)
                || await PreviousVerdictAsync(request, listed.Key, cancellationToken) is not { Wanted: true } previous)
            {
                skipped++;
                continue;
            }

            await pacer.WaitTurnAsync(cancellationToken);
            await lane.Send(new ScanBucketObject
            {
                ScanId = BucketScanId.For(request.Bucket, listed.Key, listed.ETag, $"rescan:{request.RescanId}"),
                Target = new ScanTarget { Bucket = request.Bucket, Key = listed.Key, ETag = listed.ETag },
                Origin = Origin,
                RescanId = request.RescanId,
                PreviousStatus = previous.Status,
                PreviousSignatureVersion = previous.SignatureVersion,
                RequestedAt = time.GetUtcNow(),
            }, cancellationToken);
            queued++;
        }

        var more = listing.IsTruncated == true && !string.IsNullOrEmpty(listing.NextContinuationToken);
        var listedCount = listing.S3Objects?.Count ?? 0;
        var rescan = request.RescanId.ToString();
        telemetry.RescanObjects.AddIfPositive(listedCount, rescan, "listed");
        telemetry.RescanObjects.AddIfPositive(queued, rescan, "queued");
        telemetry.RescanObjects.AddIfPositive(skipped, rescan, "skipped");
        var progress = await context.GetSendEndpoint(new Uri($"exchange:{settings.RescanProgressQueue}"));
        await progress.Send(new RescanProgress
        {
            RescanId = request.RescanId, Bucket = request.Bucket, Prefix = request.Prefix,
            Page = page, LastPage = !more, Listed = listedCount, Queued = queued, Skipped = skipped,
        }, cancellationToken);

        // Only after this page's progress, so the tally always hears of page N before page N + 1 and its objects.
        if (more)
        {
            var self = await context.GetSendEndpoint(new Uri($"exchange:{settings.RescanRequestsQueue}"));
            await self.Send(request, next =>
            {
                next.Headers.Set(ContinuationHeader, listing.NextContinuationToken);
                next.Headers.Set(PageHeader, page + 1);
            }, cancellationToken);
        }

        logger.RescanPageQueued(request.RescanId, request.Bucket, request.Prefix ?? string.Empty, page, queued, skipped,
            more ? "; more pages follow" : "; the listing is complete");
    }

    /// <summary>
    /// Whether the request's filters want the object, which needs its tags, and its previous verdict from them; no filter, no
    /// extra request.
    /// </summary>
    private async Task<(bool Wanted, string? Status, int? SignatureVersion)> PreviousVerdictAsync(RescanRequested request, string key,
        CancellationToken cancellationToken)
    {
        if (!request.OnlyUnscanned && !request.OnlyClean && request.OlderThanSignatureVersion is null)
        {
            return (true, null, null);
        }

        var prefix = options.Value.TagPrefix;
        GetObjectTaggingResponse response;
        try
        {
            response = await CallAsync(() => s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = request.Bucket, Key = key },
                cancellationToken), cancellationToken);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            // Deleted since the listing, or not ours to read: one object must not fail the whole page.
            logger.RescanObjectSkipped(request.RescanId, request.Bucket, key, $"{(int)exception.StatusCode} {exception.ErrorCode}");
            return (false, null, null);
        }

        var tags = (response.Tagging ?? []).Select(tag => new KeyValuePair<string, string>(tag.Key, tag.Value)).ToList();
        var status = tags.FirstOrDefault(tag => tag.Key == VerdictTags.StatusKey(prefix)).Value;
        var signatures = VerdictTags.SignatureVersion(tags, prefix);
        var wanted = !(request.OnlyUnscanned && status is not null)
            && !(request.OnlyClean && status != "clean")
            && (request.OlderThanSignatureVersion is not { } threshold || signatures is not { } version || version < threshold);
        return (wanted, status, signatures);
    }

    /// <summary>S3 failures a retry may cure go to the retry policy; the rest (no such bucket, denied) to the error queue.</summary>
    private static async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception exception) when (S3Failures.IsTransient(exception, cancellationToken))
        {
            throw new TransientScanException($"S3 failed while listing for a rescan: {exception.Message}");
        }
    }
}
