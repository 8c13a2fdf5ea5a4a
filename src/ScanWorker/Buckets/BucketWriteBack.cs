using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;
using ScanWorker.Contracts;
using ScanWorker.Diagnostics;
using ScanWorker.Scanning;
using ScanWorker.Sources;

namespace ScanWorker.Buckets;

/// <summary>
/// The S3 side of a bucket scan: before the verdict is published, check that the object is still the one
/// scanned; after it is published, write it back (tags, delete or quarantine) onto exactly that object.
/// A versioned object is addressed by its version id, so nothing newer can be touched. Without versioning
/// S3 has no conditional tagging or delete, so the ETag is checked with a HEAD right before each change.
/// </summary>
public sealed class BucketWriteBack(
    IAmazonS3 s3,
    IOptions<BucketEventsOptions> options,
    ScanWorkerTelemetry telemetry,
    TimeProvider time,
    ILogger<BucketWriteBack> logger)
{
    private static readonly ScanErrorReason[] NothingToWriteOnto =
        [ScanErrorReason.NotFound, ScanErrorReason.Changed, ScanErrorReason.InvalidRequest, ScanErrorReason.AccessDenied];

    /// <summary>
    /// The outcome to publish: <c>Changed</c> or <c>NotFound</c> when the object was replaced or deleted since it
    /// was scanned; null (publish nothing) for a Ceph upload start that found no object yet.
    /// </summary>
    public async Task<ScanOutcome?> ConfirmAsync(ScanBucketObject item, ScanOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Reason is ScanErrorReason.NotFound or ScanErrorReason.Changed && item.MayPrecedeTheObject)
        {
            logger.BucketObjectNotYetThere(item.ScanId, item.Target.Bucket!, item.Target.Key!, outcome.Detail);
            return null;
        }

        if (outcome.Reason is { } reason && NothingToWriteOnto.Contains(reason))
        {
            return outcome;
        }

        try
        {
            return await CheckUnchangedAsync(item.Target, cancellationToken) is { } change
                ? ScanOutcome.Error(change.Reason, change.Detail) with { Engine = outcome.Engine, ScannedBytes = outcome.ScannedBytes }
                : outcome;
        }
        catch (Exception exception) when (S3Failures.IsTransient(exception, cancellationToken))
        {
            return ScanOutcome.Error(ScanErrorReason.SourceUnavailable,
                $"the object could not be checked again after the scan: {exception.Message}", transient: true);
        }
    }

    /// <summary>Writes the published verdict back; throws <see cref="WriteBackException"/> when that finally fails.</summary>
    public async Task WriteAsync(ScanBucketObject item, ScanOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Reason is { } reason && NothingToWriteOnto.Contains(reason))
        {
            logger.WriteBackSkipped(item.ScanId, item.Target.Bucket ?? "?", item.Target.Key ?? "?",
                $"the verdict is {reason}, so there is no scanned object to write it onto");
            return;
        }

        var settings = options.Value;
        var notes = new List<string>();
        var (action, step) = outcome.Verdict switch
        {
            // Already in the quarantine location (an upload there, or a copy whose principal was not recognised):
            // tag it where it is; moving it again would only nest quarantine inside quarantine.
            ScanVerdict.Infected when QuarantineLocation.From(settings).Contains(item.Target.Bucket!, item.Target.Key!) =>
                ("tag", (Func<CancellationToken, Task<string?>>)(token => TagAsync(item.Target, outcome, token))),
            ScanVerdict.Infected when settings.InfectedAction == InfectedAction.Delete =>
                ("delete", token => DeleteAsync(item.Target, token)),
            ScanVerdict.Infected when settings.InfectedAction == InfectedAction.Quarantine =>
                ("quarantine", token => QuarantineAsync(item.Target, outcome, notes, token)),
            _ when Tagged(outcome.Verdict, settings.TagVerdicts) => ("tag", token => TagAsync(item.Target, outcome, token)),
            _ => (null, null),
        };
        if (action is null || step is null)
        {
            return;
        }

        var target = item.Target;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var skipped = await step(cancellationToken);
                if (skipped is null)
                {
                    telemetry.WriteBack(action, "done");
                    logger.WriteBackDone(item.ScanId, target.Bucket!, target.Key!,
                        string.Join("; ", [Describe(action, target, notes.Count > 0), .. notes]));
                }
                else
                {
                    telemetry.WriteBack(action, "skipped");
                    logger.WriteBackSkipped(item.ScanId, target.Bucket!, target.Key!, skipped);
                }

                return;
            }
            catch (Exception exception) when (S3Failures.IsTransient(exception, cancellationToken) && attempt < settings.WriteBackAttempts)
            {
                logger.WriteBackRetrying(item.ScanId, attempt, settings.WriteBackAttempts, exception.Message);
                await Task.Delay(settings.WriteBackRetryInterval * attempt, time, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                telemetry.WriteBack(action, "failed");
                logger.WriteBackFailed(item.ScanId, target.Bucket!, target.Key!, exception.Message);
                throw new WriteBackException($"{action} of s3://{target.Bucket}/{target.Key} failed: {exception.Message}", exception);
            }
        }
    }

    private string Describe(string action, ScanTarget target, bool withNotes)
    {
        var (bucket, key) = QuarantineLocation.From(options.Value).For(target.Bucket!, target.Key!);
        return action switch
        {
            "quarantine" when withNotes => "the original was deleted from its place",
            "quarantine" => $"quarantined to s3://{bucket}/{key}",
            "delete" => "deleted",
            _ => "tagged",
        };
    }

    private static bool Tagged(ScanVerdict verdict, TaggedVerdicts tagged) => verdict switch
    {
        ScanVerdict.Clean => tagged.HasFlag(TaggedVerdicts.Clean),
        ScanVerdict.Infected => tagged.HasFlag(TaggedVerdicts.Infected),
        _ => tagged.HasFlag(TaggedVerdicts.Error),
    };

    /// <summary>Null when the object is still the one scanned; otherwise the reason and what happened.</summary>
    private async Task<(ScanErrorReason Reason, string Detail)?> CheckUnchangedAsync(ScanTarget target, CancellationToken cancellationToken)
    {
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

    /// <summary>A versioned target cannot change; an unversioned one is checked right before it is changed.</summary>
    private async Task<string?> ChangedSinceScanAsync(ScanTarget target, CancellationToken cancellationToken) =>
        target.VersionId is null && await CheckUnchangedAsync(target, cancellationToken) is { } change ? change.Detail : null;

    private async Task<string?> TagAsync(ScanTarget target, ScanOutcome outcome, CancellationToken cancellationToken)
    {
        if (await ChangedSinceScanAsync(target, cancellationToken) is { } changed)
        {
            return changed;
        }

        var existing = await ReadTagsAsync(target, cancellationToken);
        await WriteTagsAsync(target.Bucket!, target.Key!, target.VersionId, existing, outcome, cancellationToken);
        return null;
    }

    private async Task<IEnumerable<KeyValuePair<string, string>>> ReadTagsAsync(ScanTarget target, CancellationToken cancellationToken)
    {
        var response = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest
        {
            BucketName = target.Bucket,
            Key = target.Key,
            VersionId = target.VersionId,
        }, cancellationToken);
        return (response.Tagging ?? []).Select(tag => new KeyValuePair<string, string>(tag.Key, tag.Value));
    }

    /// <summary>Replaces the tag set with <paramref name="existing"/> (ours removed) plus the verdict's tags.</summary>
    private async Task WriteTagsAsync(string bucket, string key, string? versionId, IEnumerable<KeyValuePair<string, string>> existing,
        ScanOutcome outcome, CancellationToken cancellationToken)
    {
        var prefix = options.Value.TagPrefix;
        var merged = VerdictTags.Merge(existing, VerdictTags.For(outcome, time.GetUtcNow(), prefix), prefix);
        await s3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = bucket,
            Key = key,
            VersionId = versionId,
            Tagging = new Tagging { TagSet = [.. merged.Select(tag => new Tag { Key = tag.Key, Value = tag.Value })] },
        }, cancellationToken);
    }

    private async Task<string?> DeleteAsync(ScanTarget target, CancellationToken cancellationToken)
    {
        if (await ChangedSinceScanAsync(target, cancellationToken) is { } changed)
        {
            return changed;
        }

        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = target.Bucket, Key = target.Key, VersionId = target.VersionId },
            cancellationToken);
        return null;
    }

    /// <summary>
    /// Copy (pinned to the scanned version or ETag), tag the copy with the original's tags plus the verdict
    /// (not every store copies tags), then delete the original. The infected original always leaves its place:
    /// a copy that cannot take all the tags keeps the verdict's; a copy that S3 refuses is given up and the original
    /// is deleted anyway; an original that cannot be deleted is tagged infected where it is. What happened is
    /// returned (and logged), never an exception that would fail every replay the same way.
    /// </summary>
    /// <param name="target">The scanned object.</param>
    /// <param name="outcome">Its (infected) verdict.</param>
    /// <param name="notes">Receives what did not go as planned although the original left its place.</param>
    /// <param name="cancellationToken">Stops the write-back.</param>
    private async Task<string?> QuarantineAsync(ScanTarget target, ScanOutcome outcome, List<string> notes, CancellationToken cancellationToken)
    {
        notes.Clear();
        var (bucket, key) = QuarantineLocation.From(options.Value).For(target.Bucket!, target.Key!);
        IReadOnlyList<KeyValuePair<string, string>> originalTags;
        try
        {
            originalTags = [.. await ReadTagsAsync(target, cancellationToken)];
        }
        catch (AmazonS3Exception exception) when (S3Failures.IsNotFound(exception))
        {
            return "the object vanished before it could be quarantined";
        }

        try
        {
            await s3.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = target.Bucket,
                SourceKey = target.Key,
                SourceVersionId = target.VersionId,
                ETagToMatch = target.ETag,
                DestinationBucket = bucket,
                DestinationKey = key,
            }, cancellationToken);
            if (await TagCopyAsync(bucket, key, originalTags, outcome, cancellationToken) is { } tagNote)
            {
                notes.Add(tagNote);
            }
        }
        catch (AmazonS3Exception exception) when (S3Failures.IsPreconditionFailed(exception) || S3Failures.IsNotFound(exception))
        {
            return $"the object changed or vanished before it could be quarantined ({(int)exception.StatusCode} {exception.ErrorCode})";
        }
        catch (AmazonS3Exception exception) when (!S3Failures.IsTransient(exception, cancellationToken))
        {
            notes.Add($"S3 refused the copy to s3://{bucket}/{key} ({(int)exception.StatusCode} {exception.ErrorCode}), so no copy was kept");
        }

        try
        {
            if (await DeleteAsync(target, cancellationToken) is { } notDeleted)
            {
                return string.Join("; ", [$"the original was left: {notDeleted}", .. notes]);
            }
        }
        catch (AmazonS3Exception exception) when (!S3Failures.IsTransient(exception, cancellationToken))
        {
            // It stays in place: at least it says what it is.
            await WriteTagsAsync(target.Bucket!, target.Key!, target.VersionId, originalTags, outcome, cancellationToken);
            return string.Join("; ", [$"the original could not be deleted ({(int)exception.StatusCode} {exception.ErrorCode}) and was tagged infected in place", .. notes]);
        }

        return null;
    }

    /// <summary>The original's tags and the verdict's onto the copy; when they do not all fit, the verdict's alone.</summary>
    private async Task<string?> TagCopyAsync(string bucket, string key, IReadOnlyList<KeyValuePair<string, string>> originalTags,
        ScanOutcome outcome, CancellationToken cancellationToken)
    {
        try
        {
            await WriteTagsAsync(bucket, key, versionId: null, originalTags, outcome, cancellationToken);
            return null;
        }
        catch (Exception exception) when (exception is InvalidOperationException
            || (exception is AmazonS3Exception s3Failure && !S3Failures.IsTransient(s3Failure, cancellationToken)))
        {
            await WriteTagsAsync(bucket, key, versionId: null, [], outcome, cancellationToken);
            return $"the copy s3://{bucket}/{key} carries the verdict's tags only ({exception.Message})";
        }
    }
}
