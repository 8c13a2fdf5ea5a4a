using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>Puts test objects into the fixture's S3 server.</summary>
internal static class S3Objects
{
    public const string Bucket = "scan-input";

    /// <summary>A client for the fixture's server; <paramref name="secretKey"/> overrides the secret (to test a wrong one).</summary>
    public static AmazonS3Client Client(S3Server server, string? secretKey = null) => new(
        new BasicAWSCredentials(server.AccessKey, secretKey ?? server.SecretKey),
        new AmazonS3Config
        {
            ServiceURL = server.ServiceUrl.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 0,
        });

    /// <summary>Uploads <paramref name="content"/> under <paramref name="key"/>; returns the ETag.</summary>
    public static async Task<string> PutAtAsync(S3Server server, string key, byte[] content, string bucket = Bucket)
    {
        using var s3 = Client(server);
        await using var body = new MemoryStream(content);
        var response = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body, UseChunkEncoding = false },
            TestContext.Current.CancellationToken);
        return response.ETag;
    }

    /// <summary>The object's tags, or null when the object does not exist.</summary>
    public static async Task<Dictionary<string, string>?> TagsAsync(S3Server server, string key, string bucket = Bucket)
    {
        using var s3 = Client(server);
        try
        {
            var response = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = key },
                TestContext.Current.CancellationToken);
            return (response.Tagging ?? []).ToDictionary(tag => tag.Key, tag => tag.Value, StringComparer.Ordinal);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public static async Task SetTagsAsync(S3Server server, string key, IReadOnlyDictionary<string, string> tags, string bucket = Bucket)
    {
        using var s3 = Client(server);
        await s3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = bucket,
            Key = key,
            Tagging = new Tagging { TagSet = [.. tags.Select(tag => new Tag { Key = tag.Key, Value = tag.Value })] },
        }, TestContext.Current.CancellationToken);
    }

    public static async Task<bool> ExistsAsync(S3Server server, string key, string bucket = Bucket)
    {
        using var s3 = Client(server);
        try
        {
            await s3.GetObjectMetadataAsync(bucket, key, TestContext.Current.CancellationToken);
            return true;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Uploads <paramref name="content"/> under a fresh key below <paramref name="prefix"/>; returns the key and ETag.</summary>
    public static async Task<(string Key, string ETag)> PutAsync(S3Server server, string prefix, byte[] content)
    {
        var key = $"{prefix}/{Guid.NewGuid():N}.bin";
        return (key, await PutAtAsync(server, key, content));
    }
}
