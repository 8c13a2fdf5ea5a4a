using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ScanWorker.Contracts;

namespace ScanWorker.Sources;

/// <summary>
/// S3 objects, streamed straight from GetObject. Every GET is pinned to what the request names (its version, and its
/// ETag as <c>If-Match</c>), and the first answer's size decides the size limit before a byte of the body is read, so
/// the length checked is the length streamed, without a HEAD first.
/// <para>
/// Objects are opened ahead of clamd's scan slots (<see cref="S3Options.ReadAhead"/>), so one GET's latency overlaps
/// other scans. The first GET asks for the first <see cref="FirstPartBytes"/> only (as the SDK's own transfer utility
/// does): an object that small, the usual upload, is whole in one round trip and waits for its slot in the socket's
/// buffer, never stalling the store's send. A larger one reads its first part and then fetches the rest when the scan
/// gets there, pinned to the ETag the first part came with, so a replacement in between is <c>Changed</c>, never a
/// mix of two objects. A store that ignores ranges sends the whole object, which is then scanned as it comes.
/// </para>
/// </summary>
public sealed class S3ScanSource(S3Access access) : IScanSource
{
    /// <summary>What the first GET of an object asks for; the rest of a larger object comes when its scan reaches it.</summary>
    public const long FirstPartBytes = 128 * 1024;

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
        var response = await GetFirstPartAsync(s3, target, cancellationToken);
        var range = ContentRange.Parse(response.ContentRange);
        var length = range?.Total ?? response.ContentLength;

        // Closing the response unread drops (or briefly drains) the connection: the body is never buffered.
        if (target.ETag is not null && !ETag.Same(response.ETag, target.ETag))
        {
            // A store that ignores If-Match: the pin is checked here all the same.
            response.Dispose();
            throw new ScanSourceException(ScanErrorReason.Changed,
                $"s3://{target.Bucket}/{target.Key} has ETag {response.ETag}, not the requested {target.ETag}");
        }

        if (length > maxBytes)
        {
            response.Dispose();
            throw new ScanSourceException(ScanErrorReason.TooLarge,
                $"s3://{target.Bucket}/{target.Key} is {length} bytes; the limit is {maxBytes}");
        }

        // A part that is not the first bytes asked for (or whose body is not its range) is no start of the object; and
        // a rest needs an ETag to be pinned to.
        if (range is { } part
            && (part.First != 0 || response.ContentLength != part.Length || (part.Last + 1 < part.Total && response.ETag is null)))
        {
            response.Dispose();
            throw new ScanSourceException(ScanErrorReason.SourceUnavailable,
                $"S3 answered the first part of s3://{target.Bucket}/{target.Key} with {response.ContentLength} bytes, Content-Range"
                + $" '{response.ContentRange}' and ETag '{response.ETag}': not the object's first bytes, or a rest that cannot be pinned",
                transient: true);
        }

        if (range is not { } first || first.Last + 1 == first.Total)
        {
            return new SourceContent(response.ResponseStream, length, owner: response);
        }

        var rest = target with { ETag = response.ETag };
        var content = new SequentialStream(response.ResponseStream,
            new OpenOnFirstReadStream(token => OpenRestAsync(s3, rest, first.Last + 1, first.Total, token)));
        return new SourceContent(content, length, owner: response);
    }

    /// <summary>
    /// The first part, or the whole object where a range does not apply: an empty object has no byte 0 to range over
    /// (S3 answers 416; s3rver a partial answer whose range is unsatisfiable), so it is fetched whole.
    /// </summary>
    private static async Task<GetObjectResponse> GetFirstPartAsync(IAmazonS3 s3, ScanTarget target, CancellationToken cancellationToken)
    {
        GetObjectResponse response;
        try
        {
            response = await GetAsync(s3, target, new ByteRange(0, FirstPartBytes - 1), cancellationToken);
        }
        catch (ScanSourceException failure) when (failure.InnerException is AmazonS3Exception
                                                  { StatusCode: HttpStatusCode.RequestedRangeNotSatisfiable })
        {
            return await GetAsync(s3, target, range: null, cancellationToken);
        }

        if (response.HttpStatusCode != HttpStatusCode.PartialContent || ContentRange.Parse(response.ContentRange) is not null)
        {
            return response;
        }

        response.Dispose();
        return await GetAsync(s3, target, range: null, cancellationToken);
    }

    private static async Task<SourceContent> OpenRestAsync(IAmazonS3 s3, ScanTarget target, long from, long total,
        CancellationToken cancellationToken)
    {
        var response = await GetAsync(s3, target, new ByteRange(from, total - 1), cancellationToken);
        if (!ETag.Same(response.ETag, target.ETag) || ContentRange.Parse(response.ContentRange) != new ContentRange(from, total - 1, total)
            || response.ContentLength != total - from)
        {
            response.Dispose();
            throw new ScanSourceException(ScanErrorReason.Changed,
                $"s3://{target.Bucket}/{target.Key} changed while it was read (ETag {response.ETag}, Content-Range"
                + $" '{response.ContentRange}', expected bytes {from}-{total - 1}/{total} of ETag {target.ETag})");
        }

        return new SourceContent(response.ResponseStream, response.ContentLength, owner: response);
    }

    private static Task<GetObjectResponse> GetAsync(IAmazonS3 s3, ScanTarget target, ByteRange? range, CancellationToken cancellationToken)
    {
        var pinned = target.VersionId is not null || target.ETag is not null;
        return CallAsync(target, pinned, () => s3.GetObjectAsync(new GetObjectRequest
        {
            BucketName = target.Bucket,
            Key = target.Key,
            VersionId = target.VersionId,
            EtagToMatch = target.ETag is null ? null : ETag.Quoted(target.ETag),
            ByteRange = range,
        }, cancellationToken), cancellationToken);
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
