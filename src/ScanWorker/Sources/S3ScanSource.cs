using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ScanWorker.Contracts;

namespace ScanWorker.Sources;

/// <summary>
/// S3 objects, streamed straight from one GetObject. The GET is pinned to what the request names (its version, and
/// its ETag as <c>If-Match</c>), and the response's own <c>Content-Length</c> decides the size limit before a byte of
/// the body is read, so the length checked is the length streamed without a HEAD first: one round trip per object,
/// which is what bounds the rate where the store is far away (issue 23).
/// </summary>
public sealed class S3ScanSource(S3Access access) : IScanSource
{
    public string Name => "s3";

    public async Task<SourceContent> OpenAsync(ScanTarget target, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (string.IsNullOrEmpty(target.Bucket) || string.IsNullOrEmpty(target.Key))
        {
            throw new ScanSourceException(ScanErrorReason.InvalidRequest, "an S3 target needs both bucket and key");
        }

        if (access.Refusal(target.Bucket) is { } refused)
        {
            throw new ScanSourceException(ScanErrorReason.InvalidRequest, refused);
        }

        var s3 = access.Client;
        var pinned = target.VersionId is not null || target.ETag is not null;
        var response = await CallAsync(target, pinned, () => s3.GetObjectAsync(new GetObjectRequest
        {
            BucketName = target.Bucket,
            Key = target.Key,
            VersionId = target.VersionId,
            EtagToMatch = target.ETag is null ? null : ETag.Quoted(target.ETag),
        }, cancellationToken), cancellationToken);

        // Closing the response unread drops (or briefly drains) the connection: the body is never buffered.
        if (target.ETag is not null && !ETag.Same(response.ETag, target.ETag))
        {
            // A store that ignores If-Match: the pin is checked here all the same.
            response.Dispose();
            throw new ScanSourceException(ScanErrorReason.Changed,
                $"s3://{target.Bucket}/{target.Key} has ETag {response.ETag}, not the requested {target.ETag}");
        }

        if (response.ContentLength > maxBytes)
        {
            response.Dispose();
            throw new ScanSourceException(ScanErrorReason.TooLarge,
                $"s3://{target.Bucket}/{target.Key} is {response.ContentLength} bytes; the limit is {maxBytes}");
        }

        return new SourceContent(response.ResponseStream, response.ContentLength, owner: response);
    }

    private static async Task<T> CallAsync<T>(ScanTarget target, bool pinned, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (AmazonS3Exception exception)
        {
            throw Classify(target, pinned, exception);
        }
        catch (Exception exception) when (S3Failures.IsUnreachable(exception, cancellationToken))
        {
            throw new ScanSourceException(ScanErrorReason.SourceUnavailable,
                $"S3 could not be reached for s3://{target.Bucket}/{target.Key}: {exception.Message}", transient: true, inner: exception);
        }
    }

    internal static ScanSourceException Classify(ScanTarget target, bool pinned, AmazonS3Exception exception)
    {
        var where = $"s3://{target.Bucket}/{target.Key}" + (target.VersionId is null ? string.Empty : $"?versionId={target.VersionId}");
        var what = $"{(int)exception.StatusCode} {exception.ErrorCode}".Trim();
        return exception.StatusCode switch
        {
            HttpStatusCode.NotFound => new(ScanErrorReason.NotFound, $"{where} does not exist ({what})", inner: exception),
            HttpStatusCode.Forbidden => new(ScanErrorReason.AccessDenied, $"access to {where} was denied ({what})", inner: exception),
            HttpStatusCode.PreconditionFailed when pinned => new(ScanErrorReason.Changed, $"{where} changed ({what})", inner: exception),
            // Not pinned by the request (a GET sends no precondition then): a store's odd answer; scanning again is right.
            HttpStatusCode.PreconditionFailed => new(ScanErrorReason.SourceUnavailable,
                $"{where} was replaced while it was being opened ({what})", transient: true, inner: exception),
            HttpStatusCode.BadRequest when exception.ErrorCode == "InvalidArgument" =>
                new(ScanErrorReason.InvalidRequest, $"S3 refused the request for {where}: {exception.Message} ({what})", inner: exception),
            _ => new(ScanErrorReason.SourceUnavailable, $"S3 failed for {where}: {exception.Message} ({what})", transient: true,
                inner: exception),
        };
    }
}
