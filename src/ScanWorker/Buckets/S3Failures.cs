using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace ScanWorker.Buckets;

/// <summary>Which S3 failures a retry may cure.</summary>
internal static class S3Failures
{
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        AmazonS3Exception s3 => (int)s3.StatusCode >= 500 || s3.StatusCode == HttpStatusCode.TooManyRequests || s3.StatusCode == 0,
        _ when cancellationToken.IsCancellationRequested => false,
        AmazonClientException or HttpRequestException or IOException or SocketException or TaskCanceledException => true,
        _ => false,
    };

    public static bool IsNotFound(Exception exception) =>
        exception is AmazonS3Exception { StatusCode: HttpStatusCode.NotFound };

    public static bool IsPreconditionFailed(Exception exception) =>
        exception is AmazonS3Exception { StatusCode: HttpStatusCode.PreconditionFailed };
}
