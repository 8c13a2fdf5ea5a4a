using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace ScanWorker.Sources;

/// <summary>How S3 failures are told apart, for the scan source and the bucket write-back alike.</summary>
internal static class S3Failures
{
    /// <summary>S3 could not be reached or the connection broke (not an answer from S3, not our cancellation).</summary>
    public static bool IsUnreachable(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested
        && exception is AmazonClientException or HttpRequestException or IOException or SocketException or TaskCanceledException;

    /// <summary>A retry may cure it: S3 unreachable, a 5xx, or throttling.</summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        AmazonS3Exception s3 => (int)s3.StatusCode >= 500 || s3.StatusCode == HttpStatusCode.TooManyRequests || s3.StatusCode == 0,
        _ => IsUnreachable(exception, cancellationToken),
    };

    public static bool IsNotFound(Exception exception) =>
        exception is AmazonS3Exception { StatusCode: HttpStatusCode.NotFound };

    public static bool IsPreconditionFailed(Exception exception) =>
        exception is AmazonS3Exception { StatusCode: HttpStatusCode.PreconditionFailed };
}
