using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Buckets;

/// <summary>Bulk rescans through a real RabbitMQ and S3 server: every object once, paced, and behind live uploads.</summary>
[RealServers]
public sealed class RescanTests(TestServers servers)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact(Timeout = 240_000)]
    public async Task A_rescan_of_500_objects_yields_500_results_while_live_events_get_through_first()
    {
        const int count = 500;
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var completions = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken,
            "ScanWorker.Contracts:RescanCompleted");
        await using var worker = await BucketWorker.StartAsync(servers, settings =>
        {
            settings["BucketEvents:RescanObjectsPerSecond"] = "2000";
            settings["BucketEvents:RescanConcurrency"] = "1";
        });
        var prefix = $"rescan-{Guid.NewGuid():N}"[..19];
        var keys = Enumerable.Range(0, count).Select(i => $"{prefix}/backlog/{i:D4}.txt").ToArray();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken },
            async (key, _) => await S3Objects.PutAtAsync(s3, key, TestContent.CleanText));
        var rescanId = Guid.NewGuid();

        await worker.PublishToExchangeAsync(worker.BucketOptions().RescanRequestsQueue, JsonSerializer.Serialize(new
        {
            rescanId, bucket = S3Objects.Bucket, prefix = $"{prefix}/backlog/",
        }));
        bool FromRescan(ScanResult result) => result.MetadataValue("rescanId") == rescanId.ToString();
        await listener.WaitForMatchesAsync(FromRescan, 10, Timeout);
        var live = new[] { $"{prefix}/live/a.txt", $"{prefix}/live/b.txt", $"{prefix}/live/c.txt" };
        foreach (var key in live)
        {
            var etag = await S3Objects.PutAtAsync(s3, key, TestContent.Eicar);
            await worker.PublishEventAsync(BucketEventBodies.Minio(new EventObject(S3Objects.Bucket, key, etag)));
        }

        await listener.WaitForMatchesAsync(result => live.Contains(result.TargetKey), live.Length, Timeout);
        var backlog = await listener.WaitForMatchesAsync(FromRescan, count, Timeout);

        Assert.Equal(keys, backlog.Select(result => result.TargetKey!).Order(StringComparer.Ordinal));
        Assert.All(backlog, result => Assert.Equal(("ScanClean", "rescan"), (result.Kind, result.MetadataValue("origin"))));
        var arrived = listener.Arrived.ToList();
        var lastBacklog = arrived.FindLastIndex(FromRescan);
        Assert.All(live, key => Assert.True(arrived.FindIndex(result => result.TargetKey == key) < lastBacklog,
            $"the live upload {key} waited for the whole backlog"));
        Assert.Equal(5, worker.Logs.MessagesOf(6009).Count(message => message.Contains(rescanId.ToString(), StringComparison.Ordinal)));
        var completed = await completions.WaitForMatchAsync(done => done.Message.GetProperty("rescanId").GetGuid() == rescanId, Timeout);
        Assert.Equal((count, count, 0, count, count, 0, 0, 1), RescanTotals(completed));
        using var http = worker.CreateHttpClient();
        var totals = PrometheusSample.Parse(await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken))
            .Where(sample => sample.Name == "scanworker_rescan_objects_total" && sample.Labels["rescan"] == rescanId.ToString())
            .ToDictionary(sample => sample.Labels["state"], sample => sample.Value);
        Assert.Equal(new Dictionary<string, double> { ["listed"] = count, ["queued"] = count, ["clean"] = count }, totals);
        Assert.Single(worker.Logs.MessagesOf(6013), message => message.Contains(rescanId.ToString(), StringComparison.Ordinal)
            && message.Contains($"listed {count}, queued {count}, skipped 0; clean {count}, infected 0, errors 0", StringComparison.Ordinal));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_rescan_can_skip_objects_already_scanned_or_scanned_with_new_enough_signatures()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await BucketWorker.StartAsync(servers);
        var prefix = $"rescan-{Guid.NewGuid():N}"[..19];
        var never = $"{prefix}/never.txt";
        var old = $"{prefix}/old.txt";
        var recent = $"{prefix}/recent.txt";
        foreach (var key in new[] { never, old, recent })
        {
            await S3Objects.PutAtAsync(s3, key, TestContent.CleanText);
        }

        await S3Objects.SetTagsAsync(s3, old, new Dictionary<string, string> { ["scan-status"] = "clean", ["scan-engine"] = "1.4.6/27000" });
        await S3Objects.SetTagsAsync(s3, recent, new Dictionary<string, string> { ["scan-status"] = "clean", ["scan-engine"] = "1.4.6/27600" });
        var unscanned = Guid.NewGuid();
        var outdated = Guid.NewGuid();

        await worker.PublishToExchangeAsync(worker.BucketOptions().RescanRequestsQueue,
            JsonSerializer.Serialize(new { rescanId = unscanned, bucket = S3Objects.Bucket, prefix, onlyUnscanned = true }));
        await worker.PublishToExchangeAsync(worker.BucketOptions().RescanRequestsQueue,
            JsonSerializer.Serialize(new { rescanId = outdated, bucket = S3Objects.Bucket, prefix, olderThanSignatureVersion = 27500 }));
        var first = await listener.WaitForMatchAsync(result => result.MetadataValue("rescanId") == unscanned.ToString(), Timeout);
        var second = await listener.WaitForMatchesAsync(result => result.MetadataValue("rescanId") == outdated.ToString(), 2, Timeout);
        var firstPage = await worker.Logs.WaitForAsync(6009, message => message.Contains(unscanned.ToString(), StringComparison.Ordinal), Timeout);
        var secondPage = await worker.Logs.WaitForAsync(6009, message => message.Contains(outdated.ToString(), StringComparison.Ordinal), Timeout);

        Assert.Equal(never, first.TargetKey);
        Assert.Contains("queued 1 objects, skipped 2", firstPage, StringComparison.Ordinal);
        Assert.Equal([never, old], second.Select(result => result.TargetKey!).Order(StringComparer.Ordinal));
        Assert.Contains("queued 2 objects, skipped 1", secondPage, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task An_object_deleted_after_the_listing_is_noted_and_the_page_goes_on()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        using var realClient = S3Objects.Client(s3);
        var (client, interceptor) = CountingS3.Wrap(realClient);
        await using var worker = await BucketWorker.StartAsync(servers, services: services => services.AddSingleton(client));
        var prefix = $"rescan-{Guid.NewGuid():N}"[..19];
        var keys = new[] { $"{prefix}/a.txt", $"{prefix}/b-gone.txt", $"{prefix}/c.txt" };
        foreach (var key in keys)
        {
            await S3Objects.PutAtAsync(s3, key, TestContent.CleanText);
        }

        // The uploader deletes b between the listing and the tag read: a real 404 from the real server.
        interceptor.BeforeCall = (method, request) =>
        {
            if (method == nameof(Amazon.S3.IAmazonS3.GetObjectTaggingAsync) && request is Amazon.S3.Model.GetObjectTaggingRequest tagging
                && tagging.Key == keys[1])
            {
                realClient.DeleteObjectAsync(S3Objects.Bucket, keys[1]).GetAwaiter().GetResult();
            }
        };
        var rescanId = Guid.NewGuid();

        await worker.PublishToExchangeAsync(worker.BucketOptions().RescanRequestsQueue,
            JsonSerializer.Serialize(new { rescanId, bucket = S3Objects.Bucket, prefix, onlyUnscanned = true }));
        var results = await listener.WaitForMatchesAsync(result => result.MetadataValue("rescanId") == rescanId.ToString(), 2, Timeout);
        var page = await worker.Logs.WaitForAsync(6009, message => message.Contains(rescanId.ToString(), StringComparison.Ordinal), Timeout);

        Assert.Equal([keys[0], keys[2]], results.Select(result => result.TargetKey!).Order(StringComparer.Ordinal));
        Assert.Contains("queued 2 objects, skipped 1", page, StringComparison.Ordinal);
        Assert.Contains(keys[1], Assert.Single(worker.Logs.MessagesOf(6011)), StringComparison.Ordinal);
    }

    /// <summary>Listed, queued, skipped, scanned, clean, infected, errors, counted-from-page of a <c>RescanCompleted</c>.</summary>
    private static (long, long, long, long, long, long, long, int) RescanTotals(ScanResult completed)
    {
        long Count(string name) => completed.Message.GetProperty(name).GetInt64();
        return (Count("listed"), Count("queued"), Count("skipped"), Count("scanned"), Count("clean"), Count("infected"), Count("errors"),
            completed.Message.GetProperty("countedFromPage").GetInt32());
    }
}
