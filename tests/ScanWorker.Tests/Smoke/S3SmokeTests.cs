using Amazon.S3;
using Amazon.S3.Model;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Smoke;

/// <summary>The fixture's S3 server is a real, signature-checking S3 endpoint: put, head, get, list.</summary>
[RealServers]
public sealed class S3SmokeTests(TestServers servers)
{
    [Fact(Timeout = 120_000)]
    public async Task Objects_round_trip_byte_for_byte()
    {
        var token = TestContext.Current.CancellationToken;
        var server = await servers.S3Async();
        using var s3 = S3Objects.Client(server);
        var bucket = $"smoke-{Guid.NewGuid():N}"[..20];
        await s3.PutBucketAsync(bucket, token);
        var content = new byte[300_000];
        Random.Shared.NextBytes(content);

        await using (var upload = new MemoryStream(content))
        {
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = "dir/sub dir/ü+x=1.bin",
                InputStream = upload,
                UseChunkEncoding = false,
            }, token);
        }

        var head = await s3.GetObjectMetadataAsync(bucket, "dir/sub dir/ü+x=1.bin", token);
        using var download = await s3.GetObjectAsync(bucket, "dir/sub dir/ü+x=1.bin", token);
        await using var body = new MemoryStream();
        await download.ResponseStream.CopyToAsync(body, token);
        var listing = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "dir/sub dir/" }, token);

        Assert.Equal(content.Length, head.ContentLength);
        Assert.Equal(content, body.ToArray());
        Assert.Equal("dir/sub dir/ü+x=1.bin", Assert.Single(listing.S3Objects).Key);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_wrong_secret_is_refused_because_signatures_are_verified()
    {
        var server = await servers.S3Async();
        using var s3 = S3Objects.Client(server, "not-the-secret");

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.ListBucketsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_missing_key_is_NoSuchKey()
    {
        var server = await servers.S3Async();
        using var s3 = S3Objects.Client(server);

        // SDK v4 throws a typed exception for this one.
        var error = await Assert.ThrowsAsync<NoSuchKeyException>(
            () => s3.GetObjectAsync("scan-input", $"missing-{Guid.NewGuid():N}", TestContext.Current.CancellationToken));

        Assert.Equal("NoSuchKey", error.ErrorCode);
    }
}
