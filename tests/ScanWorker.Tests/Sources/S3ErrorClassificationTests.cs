using System.Net;
using Amazon.S3;
using ScanWorker.Contracts;
using ScanWorker.Sources;

namespace ScanWorker.Tests.Sources;

public sealed class S3ErrorClassificationTests
{
    private static readonly ScanTarget Target = new() { Bucket = "b", Key = "k" };

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "NoSuchKey", false, ScanErrorReason.NotFound, false)]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied", false, ScanErrorReason.AccessDenied, false)]
    [InlineData(HttpStatusCode.PreconditionFailed, "PreconditionFailed", true, ScanErrorReason.Changed, false)]
    [InlineData(HttpStatusCode.PreconditionFailed, "PreconditionFailed", false, ScanErrorReason.SourceUnavailable, true)]
    [InlineData(HttpStatusCode.BadRequest, "InvalidArgument", true, ScanErrorReason.InvalidRequest, false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "SlowDown", false, ScanErrorReason.SourceUnavailable, true)]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError", false, ScanErrorReason.SourceUnavailable, true)]
    [InlineData((HttpStatusCode)429, "TooManyRequests", false, ScanErrorReason.SourceUnavailable, true)]
    public void Status_codes_map_to_reasons(HttpStatusCode status, string code, bool pinned, ScanErrorReason reason, bool transient)
    {
        var error = S3ScanSource.Classify(Target, pinned, new AmazonS3Exception("x") { StatusCode = status, ErrorCode = code });

        Assert.Equal(reason, error.Reason);
        Assert.Equal(transient, error.Transient);
        Assert.Contains("s3://b/k", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"abc\"", "abc", true)]
    [InlineData("abc", "\"abc\"", true)]
    [InlineData("W/\"abc\"", "abc", true)]
    [InlineData("\"abc\"", "\"abd\"", false)]
    [InlineData(null, "abc", false)]
    public void ETags_compare_without_their_quotes(string? left, string? right, bool same)
    {
        Assert.Equal(same, ETag.Same(left, right));
    }
}
