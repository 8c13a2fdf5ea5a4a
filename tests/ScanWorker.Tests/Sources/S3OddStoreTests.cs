using Amazon.Runtime;
using Amazon.S3;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScanWorker.Contracts;
using ScanWorker.Sources;

namespace ScanWorker.Tests.Sources;

/// <summary>
/// Answers to the first ranged GET that no real store here gives, from an in-process fake store (in addition to the
/// real-server tests in <see cref="S3ReadAheadTests"/>): a part that is not the object's first bytes is refused as a
/// transient source failure naming what came, never streamed as if it were the object.
/// </summary>
public sealed class S3OddStoreTests
{
    [Theory(Timeout = 30_000)]
    [InlineData("bytes 5-9/10", 5, "\"e1\"")]
    [InlineData("bytes 0-4/10", 3, "\"e1\"")]
    [InlineData("bytes 0-4/10", 5, null)]
    public async Task A_first_part_that_is_not_the_objects_first_bytes_is_refused(string contentRange, int bodyBytes, string? etag)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var store = builder.Build();
        store.MapGet("/{bucket}/{key}", (HttpResponse response) =>
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = contentRange;
            if (etag is not null)
            {
                response.Headers.ETag = etag;
            }

            response.ContentLength = bodyBytes;
            return response.Body.WriteAsync(new byte[bodyBytes]).AsTask();
        });
        await store.StartAsync(TestContext.Current.CancellationToken);
        using var client = new AmazonS3Client(new BasicAWSCredentials("key", "secret"), new AmazonS3Config
        {
            ServiceURL = store.Urls.Single(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });
        var services = new ServiceCollection().AddSingleton<IAmazonS3>(client).BuildServiceProvider();
        var source = new S3ScanSource(new S3Access(services, Options.Create(new S3Options { ServiceUrl = store.Urls.Single() })));

        var refused = await Assert.ThrowsAsync<ScanSourceException>(() =>
            source.OpenAsync(new ScanTarget { Bucket = "uploads", Key = "odd.bin" }, 1024, TestContext.Current.CancellationToken));

        Assert.Equal(ScanErrorReason.SourceUnavailable, refused.Reason);
        Assert.True(refused.Transient);
        Assert.Contains(contentRange, refused.Message, StringComparison.Ordinal);
    }
}
