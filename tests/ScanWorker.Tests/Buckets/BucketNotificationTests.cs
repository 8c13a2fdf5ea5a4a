using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Buckets;

/// <summary>
/// Notifications shaped as MinIO and AWS write them, published to the worker's exchange on a real RabbitMQ,
/// objects on a real S3 server, verdicts from a real clamd, and the verdicts written back onto the objects.
/// </summary>
[RealServers]
public sealed class BucketNotificationTests(TestServers servers)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static string Prefix() => $"bucket-{Guid.NewGuid():N}"[..19];

    [Fact(Timeout = 120_000)]
    public async Task MinIO_and_AWS_events_tag_each_object_with_its_verdict_and_keep_the_users_tags()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await BucketWorker.StartAsync(servers);
        var prefix = Prefix();
        var clean = $"{prefix}/in box/red flower(1).jpg";
        var infected = $"{prefix}/a+b/ünïcødé 文件 100%.txt";
        var cleanETag = await S3Objects.PutAtAsync(s3, clean, TestContent.CleanText);
        var infectedETag = await S3Objects.PutAtAsync(s3, infected, TestContent.Eicar);
        await S3Objects.SetTagsAsync(s3, clean, new Dictionary<string, string> { ["owner"] = "team-a", ["project"] = "x" });

        await worker.PublishEventAsync(BucketEventBodies.Minio(new EventObject(S3Objects.Bucket, clean, cleanETag)));
        await worker.PublishEventAsync(BucketEventBodies.Aws(new EventObject(S3Objects.Bucket, infected, infectedETag)));
        var cleanResult = await listener.WaitForMatchAsync(result => result.TargetKey == clean, Timeout);
        var infectedResult = await listener.WaitForMatchAsync(result => result.TargetKey == infected, Timeout);
        await worker.Logs.WaitForAsync(6005, message => message.Contains(cleanResult.ScanId.ToString(), StringComparison.Ordinal), Timeout);
        await worker.Logs.WaitForAsync(6005, message => message.Contains(infectedResult.ScanId.ToString(), StringComparison.Ordinal), Timeout);

        Assert.Equal("ScanClean", cleanResult.Kind);
        Assert.Equal(TestContent.CleanText.Length, cleanResult.ScannedBytes);
        Assert.Equal(("bucket-event", "s3:ObjectCreated:Put"), (cleanResult.MetadataValue("origin"), cleanResult.MetadataValue("eventName")));
        Assert.Equal("ScanInfected", infectedResult.Kind);
        Assert.Equal("ObjectCreated:Put", infectedResult.MetadataValue("eventName"));
        var cleanTags = await S3Objects.TagsAsync(s3, clean);
        Assert.NotNull(cleanTags);
        Assert.Equal(("team-a", "x", "clean"), (cleanTags["owner"], cleanTags["project"], cleanTags["scan-status"]));
        var engine = await (await servers.ClamdAsync()).EngineAsync(TestContext.Current.CancellationToken);
        Assert.StartsWith(engine, cleanTags["scan-engine"], StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(cleanTags["scan-time"], out _));
        var infectedTags = await S3Objects.TagsAsync(s3, infected);
        Assert.NotNull(infectedTags);
        Assert.Equal("infected", infectedTags["scan-status"]);
        Assert.StartsWith("ScanWorker.Test.EICAR", infectedTags["scan-signature"], StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Every_record_is_a_scan_and_a_tagging_record_is_none()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await BucketWorker.StartAsync(servers);
        var prefix = Prefix();
        var keys = new[] { $"{prefix}/one.txt", $"{prefix}/nested/deeper/two + three.txt", $"{prefix}/日本/three.txt" };
        var objects = new List<EventObject>();
        foreach (var key in keys)
        {
            objects.Add(new EventObject(S3Objects.Bucket, key, await S3Objects.PutAtAsync(s3, key, TestContent.CleanText)));
        }

        var tagged = $"{prefix}/tagged.txt";
        var tagging = new EventObject(S3Objects.Bucket, tagged, await S3Objects.PutAtAsync(s3, tagged, TestContent.Eicar), "ObjectTagging:Put");
        await worker.PublishEventAsync(BucketEventBodies.Aws([.. objects, tagging]));
        var results = await listener.WaitForMatchesAsync(result => result.TargetKey?.StartsWith(prefix, StringComparison.Ordinal) == true, 3, Timeout);

        Assert.Equal(keys.Order(StringComparer.Ordinal), results.Select(result => result.TargetKey).Order(StringComparer.Ordinal));
        Assert.All(results, result => Assert.Equal("ScanClean", result.Kind));
        // All four records were decided in one go, before any scan was queued; the tagging record was dropped then.
        Assert.Contains(worker.Logs.MessagesOf(6001), message => message.Contains(tagged, StringComparison.Ordinal));
        Assert.DoesNotContain(listener.Arrived, result => result.TargetKey == tagged);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_redelivered_event_carries_the_same_scan_id()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await BucketWorker.StartAsync(servers);
        var key = $"{Prefix()}/twice.txt";
        var body = BucketEventBodies.Minio(new EventObject(S3Objects.Bucket, key, await S3Objects.PutAtAsync(s3, key, TestContent.CleanText)));

        await worker.PublishEventAsync(body);
        await worker.PublishEventAsync(body);
        var results = await listener.WaitForMatchesAsync(result => result.TargetKey == key, 2, Timeout);

        Assert.Equal(results[0].ScanId, results[1].ScanId);
    }

    [Fact(Timeout = 120_000)]
    public async Task An_infected_object_is_quarantined_copy_first_then_the_original_removed()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await BucketWorker.StartAsync(servers, settings => settings["BucketEvents:InfectedAction"] = "Quarantine");
        var key = $"{Prefix()}/eicar.com";
        var etag = await S3Objects.PutAtAsync(s3, key, TestContent.Eicar);
        await S3Objects.SetTagsAsync(s3, key, new Dictionary<string, string> { ["owner"] = "team-a" });

        await worker.PublishEventAsync(BucketEventBodies.Minio(new EventObject(S3Objects.Bucket, key, etag)));
        var result = await listener.WaitForMatchAsync(candidate => candidate.TargetKey == key, Timeout);
        await worker.Logs.WaitForAsync(6005, message => message.Contains(result.ScanId.ToString(), StringComparison.Ordinal), Timeout);

        var quarantined = $"{worker.BucketOptions().QuarantinePrefix}{S3Objects.Bucket}/{key}";
        Assert.Equal("ScanInfected", result.Kind);
        Assert.False(await S3Objects.ExistsAsync(s3, key));
        var tags = await S3Objects.TagsAsync(s3, quarantined);
        Assert.NotNull(tags);
        Assert.Equal(("infected", "team-a"), (tags["scan-status"], tags["owner"]));
    }

    [Fact(Timeout = 120_000)]
    public async Task Uploads_under_the_quarantine_prefix_or_ending_in_a_slash_are_scanned_and_tagged_in_place()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await BucketWorker.StartAsync(servers, settings => settings["BucketEvents:InfectedAction"] = "Quarantine");
        // An uploader picks these keys; neither may be a way around the scanner.
        var inQuarantine = $"{worker.BucketOptions().QuarantinePrefix}{Prefix()}/eicar.com";
        var slashed = $"{Prefix()}/dir/";
        var quarantineTag = await S3Objects.PutAtAsync(s3, inQuarantine, TestContent.Eicar);
        var slashedTag = await S3Objects.PutAtAsync(s3, slashed, TestContent.Eicar);

        await worker.PublishEventAsync(BucketEventBodies.Minio(new EventObject(S3Objects.Bucket, inQuarantine, quarantineTag, Size: TestContent.Eicar.Length)));
        await worker.PublishEventAsync(BucketEventBodies.Minio(new EventObject(S3Objects.Bucket, slashed, slashedTag, Size: TestContent.Eicar.Length)));
        var first = await listener.WaitForMatchAsync(candidate => candidate.TargetKey == inQuarantine, Timeout);
        var second = await listener.WaitForMatchAsync(candidate => candidate.TargetKey == slashed, Timeout);
        await worker.Logs.WaitForAsync(6005, message => message.Contains(first.ScanId.ToString(), StringComparison.Ordinal), Timeout);

        Assert.Equal(("ScanInfected", "ScanInfected"), (first.Kind, second.Kind));
        // Already in the quarantine location: tagged where it is, not nested into quarantine again.
        Assert.Equal("infected", (await S3Objects.TagsAsync(s3, inQuarantine))?["scan-status"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task Quarantine_moves_an_object_with_ten_tags_of_its_own_and_keeps_the_verdict_on_the_copy()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await BucketWorker.StartAsync(servers, settings => settings["BucketEvents:InfectedAction"] = "Quarantine");
        var key = $"{Prefix()}/tagged-full.com";
        var etag = await S3Objects.PutAtAsync(s3, key, TestContent.Eicar);
        await S3Objects.SetTagsAsync(s3, key, Enumerable.Range(0, 10).ToDictionary(i => $"user-{i}", i => $"{i}"));

        await worker.PublishEventAsync(BucketEventBodies.Minio(new EventObject(S3Objects.Bucket, key, etag)));
        var result = await listener.WaitForMatchAsync(candidate => candidate.TargetKey == key, Timeout);
        var done = await worker.Logs.WaitForAsync(6005, message => message.Contains(result.ScanId.ToString(), StringComparison.Ordinal), Timeout);

        var quarantined = $"{worker.BucketOptions().QuarantinePrefix}{S3Objects.Bucket}/{key}";
        Assert.Equal("ScanInfected", result.Kind);
        Assert.False(await S3Objects.ExistsAsync(s3, key));
        Assert.Equal("infected", (await S3Objects.TagsAsync(s3, quarantined))?["scan-status"]);
        Assert.Contains("verdict's tags only", done, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Quarantine_moves_an_object_whose_quarantine_key_would_pass_the_1024_byte_limit()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await BucketWorker.StartAsync(servers, settings => settings["BucketEvents:InfectedAction"] = "Quarantine");
        // 1,010 bytes in segments a filesystem-backed store can hold; with the quarantine prefix it passes 1,024.
        var key = $"{Prefix()}/" + string.Join('/', Enumerable.Range(0, 5).Select(i => new string((char)('a' + i), 196))) + "/e.com";
        var etag = await S3Objects.PutAtAsync(s3, key, TestContent.Eicar);

        await worker.PublishEventAsync(BucketEventBodies.Minio(new EventObject(S3Objects.Bucket, key, etag)));
        var result = await listener.WaitForMatchAsync(candidate => candidate.TargetKey == key, Timeout);
        await worker.Logs.WaitForAsync(6005, message => message.Contains(result.ScanId.ToString(), StringComparison.Ordinal), Timeout);

        var hashed = $"{worker.BucketOptions().QuarantinePrefix}{S3Objects.Bucket}/sha256/"
            + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(key) <= 1024);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount($"{worker.BucketOptions().QuarantinePrefix}{S3Objects.Bucket}/{key}") > 1024);
        Assert.Equal("ScanInfected", result.Kind);
        Assert.False(await S3Objects.ExistsAsync(s3, key));
        Assert.Equal("infected", (await S3Objects.TagsAsync(s3, hashed))?["scan-status"]);
    }

    [Theory(Timeout = 120_000)]
    [InlineData(nameof(IAmazonS3.CopyObjectAsync), false, "no copy was kept")]
    [InlineData(nameof(IAmazonS3.DeleteObjectAsync), true, "tagged infected in place")]
    public async Task Quarantine_that_S3_refuses_in_part_still_isolates_or_marks_the_original(string refused, bool originalStays, string said)
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        using var realClient = S3Objects.Client(s3);
        var (client, interceptor) = CountingS3.Wrap(realClient);
        // Faults the test server cannot be made to show: a permanent refusal of the copy, or of the delete.
        interceptor.BeforeCall = (method, _) =>
        {
            if (method == refused)
            {
                throw new AmazonS3Exception("refused by policy") { StatusCode = System.Net.HttpStatusCode.Forbidden, ErrorCode = "AccessDenied" };
            }
        };
        await using var worker = await BucketWorker.StartAsync(servers, settings => settings["BucketEvents:InfectedAction"] = "Quarantine",
            services: services => services.AddSingleton(client));
        var key = $"{Prefix()}/refused.com";
        var etag = await S3Objects.PutAtAsync(s3, key, TestContent.Eicar);

        await worker.PublishEventAsync(BucketEventBodies.Minio(new EventObject(S3Objects.Bucket, key, etag)));
        var result = await listener.WaitForMatchAsync(candidate => candidate.TargetKey == key, Timeout);
        var logged = await worker.Logs.WaitForAsync(originalStays ? 6006 : 6005,
            message => message.Contains(result.ScanId.ToString(), StringComparison.Ordinal), Timeout);

        Assert.Equal("ScanInfected", result.Kind);
        Assert.Equal(originalStays, await S3Objects.ExistsAsync(s3, key));
        Assert.Contains(said, logged, StringComparison.Ordinal);
        if (originalStays)
        {
            Assert.Equal("infected", (await S3Objects.TagsAsync(s3, key))?["scan-status"]);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task An_infected_object_is_deleted_in_delete_mode_and_a_clean_one_is_not()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await BucketWorker.StartAsync(servers, settings => settings["BucketEvents:InfectedAction"] = "Delete");
        var prefix = Prefix();
        var infected = $"{prefix}/eicar.com";
        var clean = $"{prefix}/clean.txt";
        var objects = new[]
        {
            new EventObject(S3Objects.Bucket, infected, await S3Objects.PutAtAsync(s3, infected, TestContent.Eicar)),
            new EventObject(S3Objects.Bucket, clean, await S3Objects.PutAtAsync(s3, clean, TestContent.CleanText)),
        };

        await worker.PublishEventAsync(BucketEventBodies.Aws(objects));
        var results = await listener.WaitForMatchesAsync(result => result.TargetKey?.StartsWith(prefix, StringComparison.Ordinal) == true, 2, Timeout);
        foreach (var result in results)
        {
            await worker.Logs.WaitForAsync(6005, message => message.Contains(result.ScanId.ToString(), StringComparison.Ordinal), Timeout);
        }

        Assert.False(await S3Objects.ExistsAsync(s3, infected));
        Assert.Equal("clean", (await S3Objects.TagsAsync(s3, clean))?["scan-status"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task An_object_replaced_before_the_scan_is_Changed_and_gets_no_tag()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await BucketWorker.StartAsync(servers);
        var key = $"{Prefix()}/replaced.txt";
        var first = await S3Objects.PutAtAsync(s3, key, TestContent.CleanText);
        await S3Objects.PutAtAsync(s3, key, TestContent.Eicar);

        await worker.PublishEventAsync(BucketEventBodies.Minio(new EventObject(S3Objects.Bucket, key, first)));
        var result = await listener.WaitForMatchAsync(candidate => candidate.TargetKey == key, Timeout);
        await worker.Logs.WaitForAsync(6006, message => message.Contains(result.ScanId.ToString(), StringComparison.Ordinal), Timeout);

        Assert.Equal(("ScanError", "Changed"), (result.Kind, result.Reason));
        Assert.DoesNotContain("scan-status", (await S3Objects.TagsAsync(s3, key))!.Keys);
    }

    [Fact(Timeout = 120_000)]
    public async Task In_promote_mode_a_missing_object_is_reported_NotFound_even_when_S3_refuses_the_look_at_the_clean_place()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        using var realClient = S3Objects.Client(s3);
        var (client, interceptor) = CountingS3.Wrap(realClient);
        // A worker allowed to write the clean place but not to read it: the redelivery check cannot look there.
        var refused = 0;
        interceptor.BeforeCall = (method, request) =>
        {
            if (request is GetObjectMetadataRequest { Key: var key } && key.StartsWith("clean/", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref refused);
                throw new AmazonS3Exception("denied") { StatusCode = System.Net.HttpStatusCode.Forbidden, ErrorCode = "AccessDenied" };
            }
        };
        await using var worker = await BucketWorker.StartAsync(servers, settings =>
        {
            settings["BucketEvents:CleanAction"] = "Promote";
            settings["BucketEvents:CleanPrefix"] = "clean/";
        }, services: services => services.AddSingleton(client));
        var key = $"{Prefix()}/deleted-before-its-scan.txt";

        await worker.PublishEventAsync(BucketEventBodies.Minio(new EventObject(S3Objects.Bucket, key, "0123456789abcdef0123456789abcdef")));
        var result = await listener.WaitForMatchAsync(candidate => candidate.TargetKey == key, Timeout);

        Assert.Equal(("ScanError", "NotFound"), (result.Kind, result.Reason));
        Assert.True(Volatile.Read(ref refused) > 0, "the check of the clean place was never made");
    }

    [Fact(Timeout = 120_000)]
    public async Task An_object_replaced_after_the_scan_is_Changed_and_the_newer_object_gets_no_stale_verdict()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        using var realClient = S3Objects.Client(s3);
        var (client, interceptor) = CountingS3.Wrap(realClient);
        await using var worker = await BucketWorker.StartAsync(servers, services: services => services.AddSingleton(client));
        var key = $"{Prefix()}/swapped.txt";
        var etag = await S3Objects.PutAtAsync(s3, key, TestContent.CleanText);
        var heads = 0;
        interceptor.BeforeCall = (method, request) =>
        {
            // The first HEAD of this key is the check after the scan (the scan itself is one GET): the uploader replaces
            // the object just before it.
            if (method == nameof(IAmazonS3.GetObjectMetadataAsync) && request is GetObjectMetadataRequest head && head.Key == key
                && Interlocked.Increment(ref heads) == 1)
            {
                S3Objects.PutAtAsync(s3, key, TestContent.Eicar).GetAwaiter().GetResult();
            }
        };

        await worker.PublishEventAsync(BucketEventBodies.Minio(new EventObject(S3Objects.Bucket, key, etag)));
        var result = await listener.WaitForMatchAsync(candidate => candidate.TargetKey == key, Timeout);
        await worker.Logs.WaitForAsync(6006, message => message.Contains(result.ScanId.ToString(), StringComparison.Ordinal), Timeout);

        Assert.Equal(("ScanError", "Changed"), (result.Kind, result.Reason));
        Assert.Equal(TestContent.CleanText.Length, result.ScannedBytes);
        Assert.DoesNotContain("scan-status", (await S3Objects.TagsAsync(s3, key))!.Keys);
        Assert.Equal(0, interceptor.CallsTo(nameof(IAmazonS3.PutObjectTaggingAsync)));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_write_back_that_fails_transiently_is_retried_until_it_lands()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        using var realClient = S3Objects.Client(s3);
        var (client, interceptor) = CountingS3.Wrap(realClient);
        await using var worker = await BucketWorker.StartAsync(servers, services: services => services.AddSingleton(client));
        var key = $"{Prefix()}/flaky.txt";
        var etag = await S3Objects.PutAtAsync(s3, key, TestContent.CleanText);
        var failures = 0;
        interceptor.BeforeCall = (method, _) =>
        {
            if (method == nameof(IAmazonS3.PutObjectTaggingAsync) && Interlocked.Increment(ref failures) <= 2)
            {
                throw new AmazonS3Exception("Please reduce your request rate.", ErrorType.Receiver, "SlowDown", "test",
                    System.Net.HttpStatusCode.ServiceUnavailable);
            }
        };

        await worker.PublishEventAsync(BucketEventBodies.Minio(new EventObject(S3Objects.Bucket, key, etag)));
        var result = await listener.WaitForMatchAsync(candidate => candidate.TargetKey == key, Timeout);
        await worker.Logs.WaitForAsync(6005, message => message.Contains(result.ScanId.ToString(), StringComparison.Ordinal), Timeout);

        Assert.Equal(2, worker.Logs.MessagesOf(6007).Count(message => message.Contains(result.ScanId.ToString(), StringComparison.Ordinal)));
        Assert.Equal("clean", (await S3Objects.TagsAsync(s3, key))?["scan-status"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_write_back_that_cannot_land_is_reported_and_kept_in_the_error_queue_and_the_worker_goes_on()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await BucketWorker.StartAsync(servers);
        var prefix = Prefix();
        var full = $"{prefix}/ten-tags.txt";
        var fullETag = await S3Objects.PutAtAsync(s3, full, TestContent.CleanText);
        var userTags = Enumerable.Range(0, 10).ToDictionary(i => $"user{i}", i => "v");
        await S3Objects.SetTagsAsync(s3, full, userTags);
        var next = $"{prefix}/next.txt";
        var nextETag = await S3Objects.PutAtAsync(s3, next, TestContent.CleanText);

        await worker.PublishEventAsync(BucketEventBodies.Minio(new EventObject(S3Objects.Bucket, full, fullETag)));
        var result = await listener.WaitForMatchAsync(candidate => candidate.TargetKey == full, Timeout);
        var failure = await worker.Logs.WaitForAsync(6008, message => message.Contains(result.ScanId.ToString(), StringComparison.Ordinal), Timeout);
        await worker.PublishEventAsync(BucketEventBodies.Minio(new EventObject(S3Objects.Bucket, next, nextETag)));
        var nextResult = await listener.WaitForMatchAsync(candidate => candidate.TargetKey == next, Timeout);
        await worker.Logs.WaitForAsync(6005, message => message.Contains(nextResult.ScanId.ToString(), StringComparison.Ordinal), Timeout);

        Assert.Equal("ScanClean", result.Kind);
        Assert.Contains("10 tags", failure, StringComparison.Ordinal);
        Assert.Equal(userTags, await S3Objects.TagsAsync(s3, full));
        Assert.Equal("clean", (await S3Objects.TagsAsync(s3, next))?["scan-status"]);
        await worker.StopAsync();
        Assert.Equal(1u, await worker.CountMessagesAsync(worker.BucketOptions().ObjectsQueue + "_error"));
    }

    [Fact(Timeout = 120_000)]
    public async Task Test_events_are_logged_malformed_bodies_go_to_the_error_queue_and_the_worker_goes_on()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await BucketWorker.StartAsync(servers);
        var key = $"{Prefix()}/after.txt";
        var etag = await S3Objects.PutAtAsync(s3, key, TestContent.CleanText);

        await worker.PublishEventAsync(BucketEventBodies.TestEvent);
        await worker.PublishEventAsync("this is not json");
        await worker.PublishEventAsync("""{"scanId":"not an event"}""");
        await worker.PublishEventAsync(BucketEventBodies.Ceph(new EventObject(S3Objects.Bucket, key, etag)), contentType: null);
        var result = await listener.WaitForMatchAsync(candidate => candidate.TargetKey == key, Timeout);

        Assert.Equal("ScanClean", result.Kind);
        await worker.Logs.FirstAsync(6002, Timeout);
        // The three bodies are consumed side by side: the one without Records may be logged after the clean result.
        await worker.Logs.WaitForAsync(6003, message => message.Contains("no Records", StringComparison.Ordinal), Timeout);
        await worker.StopAsync();
        Assert.Equal(2u, await worker.CountMessagesAsync(worker.BucketOptions().Queue + "_error"));
    }
}
