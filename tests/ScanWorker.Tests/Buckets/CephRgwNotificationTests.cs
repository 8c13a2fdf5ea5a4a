using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Buckets;

/// <summary>
/// The bucket path against a real object store that sends its own notifications: Ceph RGW 16.2 publishing to the
/// worker's exchange on RabbitMQ (no synthesised event JSON). Uploads, copies, multipart uploads, odd keys and
/// versioned buckets, as RGW reports them.
/// </summary>
[RealServers]
public sealed class CephRgwNotificationTests(TestServers servers)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 180_000)]
    public async Task Uploads_copies_and_multipart_uploads_are_scanned_from_RGW_s_own_events_and_tagged_keeping_user_tags()
    {
        var rgw = await servers.CephRgwAsync();
        var broker = await servers.RabbitMqAsync();
        await using var listener = await ResultListener.StartAsync(broker, Token);
        using var s3 = S3Objects.Client(rgw.S3);
        var bucket = await NewBucketAsync(s3, versioned: false);
        await using var worker = await StartWorkerAsync(rgw, bucket);
        await rgw.NotifyAsync(bucket, broker);

        const string clean = "in box/report+2026 (final) ünï.txt";
        const string infected = "a+b/eicar 100%.com";
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = clean, InputStream = new MemoryStream(TestContent.CleanText), UseChunkEncoding = false,
            TagSet = [new Tag { Key = "owner", Value = "team-a" }],
        }, Token);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = infected, InputStream = new MemoryStream(TestContent.Eicar), UseChunkEncoding = false,
        }, Token);
        await s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket, SourceKey = infected, DestinationBucket = bucket, DestinationKey = "copies/eicar.com",
        }, Token);
        var multipart = await UploadInOnePartAsync(s3, bucket, "multi/part.bin", TestContent.Unique(2048));

        var results = await Task.WhenAll(new[] { clean, infected, "copies/eicar.com", multipart }
            .Select(key => listener.WaitForMatchAsync(result => result.TargetBucket == bucket && result.TargetKey == key, Timeout)));

        Assert.Equal(["ScanClean", "ScanInfected", "ScanInfected", "ScanClean"], results.Select(result => result.Kind));
        Assert.Equal(["ObjectCreated:Put", "ObjectCreated:Put", "ObjectCreated:Copy", "ObjectCreated:CompleteMultipartUpload"],
            results.Select(result => result.MetadataValue("eventName")));
        await worker.Logs.WaitForAsync(6005, message => message.Contains(results[0].ScanId.ToString(), StringComparison.Ordinal), Timeout);
        await worker.Logs.WaitForAsync(6005, message => message.Contains(results[1].ScanId.ToString(), StringComparison.Ordinal), Timeout);
        var cleanTags = await S3Objects.TagsAsync(rgw.S3, clean, bucket);
        var infectedTags = await S3Objects.TagsAsync(rgw.S3, infected, bucket);
        Assert.Equal(("team-a", "clean"), (cleanTags!["owner"], cleanTags["scan-status"]));
        Assert.Equal("infected", infectedTags!["scan-status"]);
    }

    [Fact(Timeout = 180_000)]
    public async Task In_a_versioned_bucket_each_version_gets_its_own_verdict()
    {
        var rgw = await servers.CephRgwAsync();
        var broker = await servers.RabbitMqAsync();
        await using var listener = await ResultListener.StartAsync(broker, Token);
        using var s3 = S3Objects.Client(rgw.S3);
        var bucket = await NewBucketAsync(s3, versioned: true);
        await using var worker = await StartWorkerAsync(rgw, bucket);
        await rgw.NotifyAsync(bucket, broker);

        const string key = "kéy one.txt";
        var first = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = key, InputStream = new MemoryStream(TestContent.CleanText), UseChunkEncoding = false,
        }, Token);
        var second = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = key, InputStream = new MemoryStream(TestContent.Eicar), UseChunkEncoding = false,
        }, Token);

        var results = await listener.WaitForMatchesAsync(result => result.TargetBucket == bucket, 2, Timeout);
        foreach (var result in results)
        {
            await worker.Logs.WaitForAsync(6005, message => message.Contains(result.ScanId.ToString(), StringComparison.Ordinal), Timeout);
        }

        var byVersion = results.ToDictionary(result => result.Message.GetProperty("target").GetProperty("versionId").GetString()!, result => result.Kind);
        Assert.Equal("ScanClean", byVersion[first.VersionId]);
        Assert.Equal("ScanInfected", byVersion[second.VersionId]);
        Assert.Equal("clean", (await VersionTagsAsync(s3, bucket, key, first.VersionId))["scan-status"]);
        Assert.Equal("infected", (await VersionTagsAsync(s3, bucket, key, second.VersionId))["scan-status"]);
    }

    [Fact(Timeout = 240_000)]
    public async Task A_500_object_rescan_shared_by_two_workers_reports_its_progress_and_completes_once_with_the_totals()
    {
        const int count = 500;
        var rgw = await servers.CephRgwAsync();
        var broker = await servers.RabbitMqAsync();
        await using var completions = await ResultListener.StartAsync(broker, Token, "ScanWorker.Contracts:RescanCompleted");
        using var s3 = S3Objects.Client(rgw.S3);
        var bucket = await NewBucketAsync(s3, versioned: false);
        var keys = Enumerable.Range(0, count).Select(i => $"backlog/{i:D4}.txt").ToArray();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Token },
            async (key, _) => await S3Objects.PutAtAsync(rgw.S3, key, key.EndsWith("00.txt", StringComparison.Ordinal) ? TestContent.Eicar : TestContent.CleanText, bucket));
        await using var first = await StartWorkerAsync(rgw, bucket, settings => settings["BucketEvents:RescanObjectsPerSecond"] = "5000");
        var shared = first.BucketOptions();
        await using var second = await StartWorkerAsync(rgw, bucket, settings =>
        {
            settings["BucketEvents:RescanObjectsPerSecond"] = "5000";
            foreach (var (name, queue) in new[] { ("Queue", shared.Queue), ("ObjectsQueue", shared.ObjectsQueue), ("RescanQueue", shared.RescanQueue),
                ("RescanRequestsQueue", shared.RescanRequestsQueue), ("RescanProgressQueue", shared.RescanProgressQueue) })
            {
                settings[$"BucketEvents:{name}"] = queue;
            }
        });
        var rescanId = Guid.NewGuid();

        await first.PublishToExchangeAsync(shared.RescanRequestsQueue, System.Text.Json.JsonSerializer.Serialize(new { rescanId, bucket }));

        var completed = await WithLogsOnTimeout(completions.WaitForMatchAsync(done => done.Message.GetProperty("rescanId").GetGuid() == rescanId, Timeout),
            $"no RescanCompleted for {rescanId} within {Timeout.TotalSeconds} s", first, second);
        long Total(string name) => completed.Message.GetProperty(name).GetInt64();
        Assert.Equal((count, count, 0L, count, count - 5L, 5L, 0L), (Total("listed"), Total("queued"), Total("skipped"), Total("scanned"),
            Total("clean"), Total("infected"), Total("errors")));
        Assert.Equal(1, completed.Message.GetProperty("countedFromPage").GetInt32());
        // Progress as Prometheus sums it over the workers: each counted its own share.
        var progress = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var worker in new[] { first, second })
        {
            using var http = worker.CreateHttpClient();
            foreach (var sample in PrometheusSample.Parse(await http.GetStringAsync("/metrics", Token))
                .Where(sample => sample.Name == "scanworker_rescan_objects_total" && sample.Labels["rescan"] == rescanId.ToString()))
            {
                progress[sample.Labels["state"]] = progress.GetValueOrDefault(sample.Labels["state"]) + sample.Value;
            }
        }

        Assert.Equal(new Dictionary<string, double> { ["listed"] = count, ["queued"] = count, ["clean"] = count - 5, ["infected"] = 5 }, progress);
        // Exactly one of the two counted it, and said so once.
        Assert.Equal(1, new[] { first, second }.Sum(worker => worker.Logs.MessagesOf(6013).Count(message => message.Contains(rescanId.ToString(), StringComparison.Ordinal))));
        Assert.Single(completions.Arrived, done => done.Message.GetProperty("rescanId").GetGuid() == rescanId);
    }

    [Fact(Timeout = 180_000)]
    public async Task Promotion_copies_the_scanned_clean_version_even_while_a_newer_infected_one_arrives_and_a_redelivery_publishes_nothing_more()
    {
        var rgw = await servers.CephRgwAsync();
        var broker = await servers.RabbitMqAsync();
        await using var listener = await ResultListener.StartAsync(broker, Token);
        using var s3 = S3Objects.Client(rgw.S3);
        var landing = await NewBucketAsync(s3, versioned: true);
        var readers = await NewBucketAsync(s3, versioned: false);
        const string key = "reports/q4.pdf";
        using var workerClient = S3Objects.Client(rgw.S3);
        var (client, interceptor) = CountingS3.Wrap(workerClient);
        var newerUploaded = 0;
        // The race a real store cannot be timed into: a newer, infected version lands right before the clean one is copied.
        interceptor.BeforeCall = (method, request) =>
        {
            if (method == nameof(IAmazonS3.CopyObjectAsync) && request is CopyObjectRequest { DestinationBucket: var to } && to == readers
                && Interlocked.Exchange(ref newerUploaded, 1) == 0)
            {
                S3Objects.PutAtAsync(rgw.S3, key, TestContent.Eicar, landing).GetAwaiter().GetResult();
            }
        };
        await using var worker = await StartWorkerAsync(rgw, landing, settings =>
        {
            settings["BucketEvents:CleanAction"] = "Promote";
            settings["BucketEvents:CleanBucket"] = readers;
            settings["BucketEvents:InfectedAction"] = "Quarantine";
        }, services => services.AddSingleton(client));
        await rgw.NotifyAsync(landing, broker);

        var clean = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = landing, Key = key, InputStream = new MemoryStream(TestContent.CleanText), UseChunkEncoding = false,
        }, Token);
        var results = await listener.WaitForMatchesAsync(result => result.TargetBucket == landing && result.TargetKey == key, 2, Timeout);
        foreach (var result in results)
        {
            await worker.Logs.WaitForAsync(6005, message => message.Contains(result.ScanId.ToString(), StringComparison.Ordinal), Timeout);
        }

        var byVersion = results.ToDictionary(result => result.Message.GetProperty("target").GetProperty("versionId").GetString()!, result => result.Kind);
        Assert.Equal("ScanClean", byVersion[clean.VersionId]);
        Assert.Equal("ScanInfected", byVersion.Single(pair => pair.Key != clean.VersionId).Value);
        // Readers see the scanned clean version, never the newer one, and it says it is clean.
        using (var promoted = await s3.GetObjectAsync(readers, key, Token))
        using (var body = new MemoryStream())
        {
            await promoted.ResponseStream.CopyToAsync(body, Token);
            Assert.Equal(TestContent.CleanText, body.ToArray());
        }

        Assert.Equal("clean", (await S3Objects.TagsAsync(rgw.S3, key, readers))!["scan-status"]);
        // Nothing is left where it was uploaded: the clean version was promoted, the infected one quarantined.
        var versions = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = landing, Prefix = key }, Token);
        Assert.DoesNotContain(versions.Versions ?? [], version => version.Key == key && !version.IsDeleteMarker.GetValueOrDefault());

        // The same notification again (as after a lost ack): the version is gone, its promotion is found, nothing is published.
        await worker.PublishToExchangeAsync(CephRgw.Exchange, BucketEventBodies.Ceph(new EventObject(landing, key, clean.ETag.Trim('"'),
            VersionId: clean.VersionId)), routingKey: CephRgw.TopicOf(landing), contentType: null);
        await worker.Logs.WaitForAsync(6014, message => message.Contains(key, StringComparison.Ordinal), Timeout);
        Assert.Equal(2, listener.Arrived.Count(result => result.TargetBucket == landing));
    }

    [Fact(Timeout = 240_000)]
    public async Task New_signatures_rescan_the_clean_objects_once_across_two_workers_and_name_the_earlier_clean_verdict()
    {
        var rgw = await servers.CephRgwAsync();
        var broker = await servers.RabbitMqAsync();
        var clamd = await servers.StartPrivateClamdAsync();
        await using var listener = await ResultListener.StartAsync(broker, Token);
        await using var completions = await ResultListener.StartAsync(broker, Token, "ScanWorker.Contracts:RescanCompleted");
        using var s3 = S3Objects.Client(rgw.S3);
        var bucket = await NewBucketAsync(s3, versioned: false);
        // Twenty objects judged clean under signatures 27000 (as their tags say), one of which the update will detect; one
        // object whose last verdict was an error and one never scanned, which a signature update has no reason to rescan.
        var soonDetected = TestContent.Unique(4096);
        var cleanKeys = Enumerable.Range(0, 20).Select(i => $"earlier/{i:D2}.bin").ToArray();
        foreach (var key in cleanKeys)
        {
            await PutTaggedAsync(s3, bucket, key, key == cleanKeys[7] ? soonDetected : TestContent.Unique(512),
                ("scan-status", "clean"), ("scan-engine", "1.4.6/27000"));
        }

        await PutTaggedAsync(s3, bucket, "earlier/error.bin", TestContent.Unique(512), ("scan-status", "error"), ("scan-engine", "1.4.6/27000"));
        await PutTaggedAsync(s3, bucket, "earlier/never.bin", TestContent.Unique(512));
        var version = 27000;
        await using var first = await StartWorkerAsync(rgw, bucket, settings => UpdateRescansOf(settings, bucket, clamd),
            services => OverrideVersion(services, () => Volatile.Read(ref version)));
        var shared = first.BucketOptions();
        await using var second = await StartWorkerAsync(rgw, bucket, settings =>
        {
            UpdateRescansOf(settings, bucket, clamd);
            foreach (var (name, queue) in new[] { ("Queue", shared.Queue), ("ObjectsQueue", shared.ObjectsQueue), ("RescanQueue", shared.RescanQueue),
                ("RescanRequestsQueue", shared.RescanRequestsQueue), ("RescanProgressQueue", shared.RescanProgressQueue),
                ("SignatureUpdatesQueue", shared.SignatureUpdatesQueue) })
            {
                settings[$"BucketEvents:{name}"] = queue;
            }
        }, services => OverrideVersion(services, () => Volatile.Read(ref version)));

        // The update: clamd learns to detect one object, then reports a newer signature version to both workers.
        await clamd.AddSignaturesAsync("update.hsb",
            [$"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(soonDetected))}:{soonDetected.Length}:ScanWorker.Test.Update-27001"],
            soonDetected, Timeout);
        Volatile.Write(ref version, 27001);

        var rescanId = ScanWorker.Buckets.BucketScanId.For(bucket, string.Empty, "signatures:27001", "signature-update");
        var completed = await WithLogsOnTimeout(completions.WaitForMatchAsync(done => done.Message.GetProperty("rescanId").GetGuid() == rescanId, Timeout),
            $"no RescanCompleted for {rescanId} within {Timeout.TotalSeconds} s", first, second);
        long Total(string name) => completed.Message.GetProperty(name).GetInt64();
        Assert.Equal((22L, 20L, 2L, 19L, 1L, 0L), (Total("listed"), Total("queued"), Total("skipped"), Total("clean"), Total("infected"), Total("errors")));
        var detected = await listener.WaitForMatchAsync(result => result.TargetKey == cleanKeys[7] && result.MetadataValue("rescanId") == rescanId.ToString(), Timeout);
        Assert.Equal("ScanInfected", detected.Kind);
        Assert.Equal(["ScanWorker.Test.Update-27001.UNOFFICIAL"], detected.Signatures);
        Assert.Equal(("clean", "27000"), (detected.MetadataValue("previousStatus"), detected.MetadataValue("previousSignatureVersion")));
        // Once: both workers reported version 27001; one turned it into the rescan, the other report changed nothing.
        var workers = new[] { first, second };
        await await Task.WhenAny(workers.Select(worker => worker.Logs.FirstAsync(6016, Timeout)));
        Assert.Equal(1, workers.Sum(worker => worker.Logs.MessagesOf(6015).Count));
        Assert.Single(completions.Arrived, done => done.Message.GetProperty("rescanId").GetGuid() == rescanId);
        // The infected action follows (here: tags), on whichever worker scanned it.
        await await Task.WhenAny(workers.Select(worker =>
            worker.Logs.WaitForAsync(6005, message => message.Contains(detected.ScanId.ToString(), StringComparison.Ordinal), Timeout)));
        Assert.Equal("infected", (await S3Objects.TagsAsync(rgw.S3, cleanKeys[7], bucket))!["scan-status"]);
    }

    /// <summary>Awaits <paramref name="wait"/>; when it times out, the failure carries what each worker logged last.</summary>
    private static async Task<T> WithLogsOnTimeout<T>(Task<T> wait, string what, params WorkerHost[] workers)
    {
        try
        {
            return await wait;
        }
        catch (TimeoutException timeout)
        {
            var logs = workers.Select((worker, index) => $"worker {index + 1}, its last events:{Environment.NewLine}{worker.Logs.Tail(40)}");
            throw new TimeoutException($"{what}.{Environment.NewLine}{string.Join(Environment.NewLine, logs)}", timeout);
        }
    }

    private static void UpdateRescansOf(Dictionary<string, string?> settings, string bucket, PrivateClamd clamd)
    {
        settings["Clamd:Address"] = clamd.Address.ToString();
        settings["Clamd:MonitorInterval"] = "00:00:01";
        settings["Clamd:VersionRefreshInterval"] = "00:00:01";
        settings["BucketEvents:SignatureUpdateRescans:0"] = bucket;
        settings["BucketEvents:RescanObjectsPerSecond"] = "5000";
    }

    private static void OverrideVersion(IServiceCollection services, Func<int> version) =>
        services.AddSingleton<ScanWorker.Clamd.IClamdClient>(provider =>
            new SignatureVersionOverride(ActivatorUtilities.CreateInstance<ScanWorker.Clamd.ClamdClient>(provider), version));

    private static async Task PutTaggedAsync(AmazonS3Client s3, string bucket, string key, byte[] content, params (string Key, string Value)[] tags) =>
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = key, InputStream = new MemoryStream(content), UseChunkEncoding = false,
            TagSet = [.. tags.Select(tag => new Tag { Key = tag.Key, Value = tag.Value })],
        }, Token);

    /// <summary>A bucket worker reading RGW, bound to RGW's exchange for <paramref name="bucket"/>'s topic only.</summary>
    private Task<WorkerHost> StartWorkerAsync(CephRgw rgw, string bucket, Action<Dictionary<string, string?>>? configure = null,
        Action<IServiceCollection>? services = null) =>
        BucketWorker.StartAsync(servers, settings =>
    {
        settings["BucketEvents:Exchange"] = CephRgw.Exchange;
        settings["BucketEvents:ExchangeType"] = "direct";
        settings["BucketEvents:RoutingKey"] = CephRgw.TopicOf(bucket);
        settings["S3:ServiceUrl"] = rgw.ServiceUrl.ToString();
        settings["S3:AccessKey"] = rgw.AccessKey;
        settings["S3:SecretKey"] = rgw.SecretKey;
        // RGW names its user id as the principal, not the access key.
        settings["BucketEvents:OwnPrincipals:0"] = rgw.UserId;
        configure?.Invoke(settings);
    }, services);

    private static async Task<string> NewBucketAsync(AmazonS3Client s3, bool versioned)
    {
        var bucket = $"rgw-{Guid.NewGuid():N}"[..20];
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, Token);
        if (versioned)
        {
            await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
            {
                BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
            }, Token);
        }

        return bucket;
    }

    private static async Task<string> UploadInOnePartAsync(AmazonS3Client s3, string bucket, string key, byte[] content)
    {
        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key }, Token);
        var part = await s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket, Key = key, UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(content),
            UseChunkEncoding = false,
        }, Token);
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket, Key = key, UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)],
        }, Token);
        return key;
    }

    private static async Task<Dictionary<string, string>> VersionTagsAsync(AmazonS3Client s3, string bucket, string key, string versionId)
    {
        var response = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = key, VersionId = versionId }, Token);
        return (response.Tagging ?? []).ToDictionary(tag => tag.Key, tag => tag.Value, StringComparer.Ordinal);
    }
}
