using ScanWorker.Contracts;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Messaging;

/// <summary>
/// Publishing to the worker's queues buys no more S3 reach than its configuration grants: buckets outside
/// S3:AllowedBuckets, names S3 would not accept and keys with '.' or '..' segments are refused before any S3 call.
/// </summary>
[RealServers]
public sealed class S3ReachTests(TestServers servers)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Diagnostics/Log.cs: "... for bucket ... refused, nothing read or written there".
    private const int BucketRefusedEventId = 6012;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task Requests_for_other_buckets_bad_bucket_names_and_dot_segments_are_InvalidRequest_and_the_allowed_bucket_scans()
    {
        var s3 = await servers.S3Async();
        var key = $"reach/{Guid.NewGuid():N}/eicar.com";
        await S3Objects.PutAtAsync(s3, key, TestContent.Eicar);
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), Token);
        await using var worker = await WorkerHost.StartAsync(servers, settings => settings["S3:AllowedBuckets:0"] = S3Objects.Bucket);
        var requests = new (string Bucket, string Key, string Expected)[]
        {
            (S3Objects.Bucket, key, "ScanInfected"),
            ("another-teams-bucket", key, "S3__AllowedBuckets"),
            ("..", key, "bucket name '..'"),
            ("bad..bucket", key, "not a valid S3 bucket name"),
            (S3Objects.Bucket, "reach/../" + key, "'.' or '..' segment"),
            (S3Objects.Bucket, "./" + key, "'.' or '..' segment"),
        }.Select(request => (Id: Guid.NewGuid(), request.Bucket, request.Key, request.Expected)).ToList();

        foreach (var request in requests)
        {
            await worker.SendAsync(new ScanRequested { ScanId = request.Id, Target = new ScanTarget { Bucket = request.Bucket, Key = request.Key } });
        }

        var results = await listener.WaitForAllAsync(requests.Select(request => request.Id), Timeout);

        Assert.Equal("ScanInfected", results[0].Kind);
        Assert.All(requests.Skip(1).Zip(results.Skip(1)), pair =>
        {
            Assert.Equal(("ScanError", "InvalidRequest", false), (pair.Second.Kind, pair.Second.Reason, pair.Second.Transient));
            Assert.Contains(pair.First.Expected, pair.Second.Detail, StringComparison.Ordinal);
            Assert.Null(pair.Second.Sha256);
        });
    }

    [Fact(Timeout = 120_000)]
    public async Task A_bucket_event_for_a_bucket_not_allowed_or_misnamed_is_refused_before_any_scan_or_write_back()
    {
        await using var worker = await BucketWorker.StartAsync(servers, settings => settings["S3:AllowedBuckets:0"] = S3Objects.Bucket);

        await worker.PublishEventAsync(BucketEventBodies.Minio(new EventObject("another-teams-bucket", "invoice.pdf", "0123456789abcdef")));
        await worker.PublishEventAsync(BucketEventBodies.Minio(new EventObject(S3Objects.Bucket, "a/../b.pdf", "0123456789abcdef")));
        var other = await worker.Logs.WaitForAsync(BucketRefusedEventId, message => message.Contains("another-teams-bucket", StringComparison.Ordinal), Timeout);
        var dots = await worker.Logs.WaitForAsync(BucketRefusedEventId, message => message.Contains("'..' segment", StringComparison.Ordinal), Timeout);

        Assert.Contains("S3__AllowedBuckets", other, StringComparison.Ordinal);
        Assert.Contains(S3Objects.Bucket, dots, StringComparison.Ordinal);
        Assert.Empty(worker.Logs.MessagesOf(1001));
        Assert.Equal(0u, await worker.CountMessagesAsync(worker.BucketOptions().ObjectsQueue));
    }
}
