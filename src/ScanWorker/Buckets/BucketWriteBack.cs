using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using ScanWorker.Contracts;
using ScanWorker.Diagnostics;
using ScanWorker.Scanning;
using ScanWorker.Sources;

namespace ScanWorker.Buckets;

/// <summary>
/// Carries out a <see cref="WriteBackAction"/> on exactly the scanned object: a versioned object is addressed by its
/// version id, so nothing newer can be touched; an unversioned one is checked by ETag right before each change.
/// Transient S3 failures are retried (BucketEvents:WriteBackAttempts, a linear back-off of WriteBackRetryInterval).
/// </summary>
public sealed class BucketWriteBack
{
    private static readonly ResiliencePropertyKey<Guid> ScanIdKey = new("scanworker.scan-id");

    private readonly IAmazonS3 _s3;
    private readonly ScannedObjectCheck _check;
    private readonly BucketEventsOptions _settings;
    private readonly ScanWorkerTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger<BucketWriteBack> _logger;
    private readonly ResiliencePipeline _retry;

    public BucketWriteBack(IAmazonS3 s3, ScannedObjectCheck check, IOptions<BucketEventsOptions> options, ScanWorkerTelemetry telemetry,
        TimeProvider time, ILogger<BucketWriteBack> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _s3 = s3;
        _check = check;
        _settings = options.Value;
        _telemetry = telemetry;
        _time = time;
        _logger = logger;
        _retry = BuildRetry();
    }

    /// <summary>Carries out <paramref name="action"/>; throws <see cref="WriteBackException"/> when that finally fails.</summary>
    public async Task CarryOutAsync(ScanTarget target, Guid scanId, WriteBackAction action, ScanOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(outcome);
        if (action is WriteBackAction.LeaveAlone leave)
        {
            if (leave.Why is { } why)
            {
                _logger.WriteBackSkipped(scanId, target.Bucket ?? "?", target.Key ?? "?", why);
            }

            return;
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ScanIdKey, scanId);
        try
        {
            var (done, description) = await _retry.ExecuteAsync(
                static (context, state) => state.Self.StepAsync(state.Target, state.Action, state.Outcome, context.CancellationToken),
                context, (Self: this, Target: target, Action: action, Outcome: outcome));
            _telemetry.WriteBacks.Add(1, action.Name, done ? "done" : "skipped");
            if (done)
            {
                _logger.WriteBackDone(scanId, target.Bucket!, target.Key!, description);
            }
            else
            {
                _logger.WriteBackSkipped(scanId, target.Bucket!, target.Key!, description);
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            _telemetry.WriteBacks.Add(1, action.Name, "failed");
            _logger.WriteBackFailed(scanId, target.Bucket!, target.Key!, exception.Message);
            throw new WriteBackException($"{action.Name} of s3://{target.Bucket}/{target.Key} failed: {exception.Message}", exception);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private ResiliencePipeline BuildRetry()
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        if (_settings.WriteBackAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _settings.WriteBackAttempts - 1,
                Delay = _settings.WriteBackRetryInterval,
                BackoffType = DelayBackoffType.Linear,
                UseJitter = false,
                ShouldHandle = arguments => ValueTask.FromResult(
                    arguments.Outcome.Exception is { } exception && S3Failures.IsTransient(exception, arguments.Context.CancellationToken)),
                OnRetry = arguments =>
                {
                    _logger.WriteBackRetrying(arguments.Context.Properties.GetValue(ScanIdKey, Guid.Empty), arguments.AttemptNumber + 1,
                        _settings.WriteBackAttempts, arguments.Outcome.Exception?.Message ?? "?");
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    /// <summary>One attempt: whether it was done, and what happened (or why it was skipped).</summary>
    private async ValueTask<(bool Done, string Description)> StepAsync(ScanTarget target, WriteBackAction action, ScanOutcome outcome,
        CancellationToken cancellationToken)
    {
        switch (action)
        {
            case WriteBackAction.Tag:
                return await TagAsync(target, outcome, cancellationToken) is { } notTagged ? (false, notTagged) : (true, "tagged");
            case WriteBackAction.Delete:
                return await DeleteAsync(target, cancellationToken) is { } notDeleted ? (false, notDeleted) : (true, "deleted");
            case WriteBackAction.Quarantine quarantine:
                var notes = new List<string>();
                return await QuarantineAsync(target, quarantine, outcome, notes, cancellationToken) is { } skipped
                    ? (false, skipped)
                    : (true, notes.Count > 0
                        ? string.Join("; ", ["the original was deleted from its place", .. notes])
                        : $"quarantined to s3://{quarantine.Bucket}/{quarantine.Key}");
            case WriteBackAction.Promote promotion:
                var promotionNotes = new List<string>();
                return await PromoteAsync(target, promotion, outcome, promotionNotes, cancellationToken) is { } notPromoted
                    ? (false, notPromoted)
                    : (true, string.Join("; ", [$"promoted to s3://{promotion.Bucket}/{promotion.Key}", .. promotionNotes]));
            default:
                throw new InvalidOperationException($"no write-back step for {action}");
        }
    }

    private async Task<string?> TagAsync(ScanTarget target, ScanOutcome outcome, CancellationToken cancellationToken)
    {
        if (await _check.ChangedSinceScanAsync(target, cancellationToken) is { } changed)
        {
            return changed;
        }

        var existing = await ReadTagsAsync(target, cancellationToken);
        await WriteTagsAsync(target.Bucket!, target.Key!, target.VersionId, existing, outcome, cancellationToken);
        return null;
    }

    private async Task<IEnumerable<KeyValuePair<string, string>>> ReadTagsAsync(ScanTarget target, CancellationToken cancellationToken)
    {
        var response = await _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest
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
        var prefix = _settings.TagPrefix;
        var merged = VerdictTags.Merge(existing, VerdictTags.For(outcome, _time.GetUtcNow(), prefix), prefix);
        await _s3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = bucket,
            Key = key,
            VersionId = versionId,
            Tagging = new Tagging { TagSet = [.. merged.Select(tag => new Tag { Key = tag.Key, Value = tag.Value })] },
        }, cancellationToken);
    }

    private async Task<string?> DeleteAsync(ScanTarget target, CancellationToken cancellationToken)
    {
        if (await _check.ChangedSinceScanAsync(target, cancellationToken) is { } changed)
        {
            return changed;
        }

        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = target.Bucket, Key = target.Key, VersionId = target.VersionId },
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
    /// <param name="to">Where the copy goes.</param>
    /// <param name="outcome">Its (infected) verdict.</param>
    /// <param name="notes">Receives what did not go as planned although the original left its place.</param>
    /// <param name="cancellationToken">Stops the write-back.</param>
    private async Task<string?> QuarantineAsync(ScanTarget target, WriteBackAction.Quarantine to, ScanOutcome outcome, List<string> notes,
        CancellationToken cancellationToken)
    {
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
            await CopyPinnedAsync(target, to.Bucket, to.Key, cancellationToken);
            if (await TagCopyAsync(to.Bucket, to.Key, originalTags, outcome, cancellationToken) is { } tagNote)
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
            notes.Add($"S3 refused the copy to s3://{to.Bucket}/{to.Key} ({(int)exception.StatusCode} {exception.ErrorCode}), so no copy was kept");
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
            return string.Join("; ",
                [$"the original could not be deleted ({(int)exception.StatusCode} {exception.ErrorCode}) and was tagged infected in place", .. notes]);
        }

        return null;
    }

    /// <summary>
    /// Copy the scanned version (pinned by version id or ETag: a newer upload is never promoted in its place) to the clean
    /// place, tag the copy with the original's tags and the verdict, then delete the original. Redelivered, it copies the same
    /// version again and deletes what is still there. What did not happen is returned: an object that changed in the
    /// meantime is left for its own event, a copy S3 refuses leaves the original where it was, tagged clean.
    /// </summary>
    private async Task<string?> PromoteAsync(ScanTarget target, WriteBackAction.Promote to, ScanOutcome outcome, List<string> notes,
        CancellationToken cancellationToken)
    {
        if (target.VersionId is null && target.ETag is null)
        {
            return "the scanned object has neither a version id nor an ETag to pin the copy to, so it was not promoted";
        }

        IReadOnlyList<KeyValuePair<string, string>> originalTags;
        try
        {
            originalTags = [.. await ReadTagsAsync(target, cancellationToken)];
            await CopyPinnedAsync(target, to.Bucket, to.Key, cancellationToken);
        }
        catch (AmazonS3Exception exception) when (S3Failures.IsPreconditionFailed(exception) || S3Failures.IsNotFound(exception))
        {
            return $"the object changed or vanished before it could be promoted ({(int)exception.StatusCode} {exception.ErrorCode}); a newer upload has its own event";
        }
        catch (AmazonS3Exception exception) when (!S3Failures.IsTransient(exception, cancellationToken))
        {
            await TagAsync(target, outcome, cancellationToken);
            return $"S3 refused the copy to s3://{to.Bucket}/{to.Key} ({(int)exception.StatusCode} {exception.ErrorCode}); the object stays where it was, tagged";
        }

        if (await TagCopyAsync(to.Bucket, to.Key, originalTags, outcome, cancellationToken) is { } tagNote)
        {
            notes.Add(tagNote);
        }

        return await DeleteAsync(target, cancellationToken) is { } notDeleted
            ? string.Join("; ", [$"copied to s3://{to.Bucket}/{to.Key}, but the original was left: {notDeleted}", .. notes])
            : null;
    }

    /// <summary>A server-side copy of exactly the scanned version: by version id, else only while the ETag still matches.</summary>
    private Task<CopyObjectResponse> CopyPinnedAsync(ScanTarget target, string bucket, string key, CancellationToken cancellationToken) =>
        _s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = target.Bucket,
            SourceKey = target.Key,
            SourceVersionId = target.VersionId,
            ETagToMatch = target.ETag,
            DestinationBucket = bucket,
            DestinationKey = key,
        }, cancellationToken);

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
