using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ScanWorker.Contracts;
using ScanWorker.Scanning;
using ScanWorker.Sources;

namespace ScanWorker.Buckets;

/// <summary>
/// Whether the object in S3 is still the one scanned. A versioned target cannot change; an unversioned one is compared
/// by ETag with a HEAD (S3 has no conditional tagging or delete without versioning).
/// </summary>
public sealed class ScannedObjectCheck(IAmazonS3 s3)
{
    /// <summary>Null when the object is still the one scanned; otherwise the reason and what happened.</summary>
    public async Task<(ScanErrorReason Reason, string Detail)?> ChangeAsync(ScanTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        GetObjectMetadataResponse head;
        try
        {
            head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest
            {
                BucketName = target.Bucket,
                Key = target.Key,
                VersionId = target.VersionId,
            }, cancellationToken);
        }
        catch (AmazonS3Exception exception) when (S3Failures.IsNotFound(exception))
        {
            return (ScanErrorReason.NotFound, $"s3://{target.Bucket}/{target.Key} was deleted after it was scanned");
        }

        return target.ETag is not null && !ETag.Same(head.ETag, target.ETag)
            ? (ScanErrorReason.Changed,
                $"s3://{target.Bucket}/{target.Key} was replaced after it was scanned (ETag {head.ETag}, scanned {target.ETag}); the verdict is not written onto the newer object")
            : null;
    }

    /// <summary>
    /// The outcome to publish for a finished scan of <paramref name="target"/>: <c>NotFound</c> or <c>Changed</c> when the
    /// object was deleted or replaced while it was scanned, else <paramref name="outcome"/> itself.
    /// </summary>
    public async Task<ScanOutcome> RecheckAsync(ScanTarget target, ScanOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Transient || !WriteBackDecision.ScannedObjectRemains(outcome.Reason))
        {
            return outcome;
        }

        try
        {
            return await ChangeAsync(target, cancellationToken) is { } change
                ? ScanOutcome.Error(change.Reason, change.Detail) with { Engine = outcome.Engine, ScannedBytes = outcome.ScannedBytes }
                : outcome;
        }
        catch (Exception exception) when (S3Failures.IsTransient(exception, cancellationToken))
        {
            return ScanOutcome.Error(ScanErrorReason.SourceUnavailable,
                $"the object could not be checked again after the scan: {exception.Message}", transient: true);
        }
    }

    /// <summary>
    /// Whether a missing object was promoted by an earlier delivery of the same message: its copy is in the clean place with
    /// the scanned ETag. (The copy is made only after the result was published, so that result is out already.) A check S3
    /// refuses or fails is no: the object's <c>NotFound</c> is then published, as without promotion, never lost.
    /// </summary>
    public async Task<bool> PromotedAsync(ScanTarget target, ObjectPlace clean, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(clean);
        if (target.ETag is null)
        {
            return false;
        }

        var (bucket, key) = clean.For(target.Bucket!, target.Key!);
        try
        {
            var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken);
            return ETag.Same(head.ETag, target.ETag);
        }
        catch (Exception exception) when (exception is AmazonS3Exception or AmazonClientException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Right before a change: null when it may go ahead, else why not (only an unversioned target is asked).</summary>
    public async Task<string?> ChangedSinceScanAsync(ScanTarget target, CancellationToken cancellationToken) =>
        target.VersionId is null && await ChangeAsync(target, cancellationToken) is { } change ? change.Detail : null;
}
