using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using RabbitMQ.Client;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Hosting;

/// <summary>
/// Every deployment shape docs/configuration.md documents, started as a user starts it: the built worker as a process
/// with exactly the documented environment for that shape (host names, ports, credentials and paths replaced by
/// the fixture's servers, nothing added but MassTransit's debug log to see its queues ready). Each shape must
/// answer every request it can receive with the right result, and refuse a source it has no settings for with
/// <c>InvalidRequest</c> naming the setting, never a fault without a result.
/// </summary>
[Collection(ClusterTests.Name)] // the cluster-queue shape runs on the shared cluster
[RealServers]
public sealed partial class DeploymentShapeTests(TestServers servers)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void The_readme_documents_every_shape_this_suite_starts()
    {
        Assert.Equal(["all", "bucket-events", "cluster-queue", "http-only", "mount-queue", "s3-queue"], ReadmeShapes().Keys.Order(StringComparer.Ordinal));
    }

    [Fact(Timeout = 240_000)]
    public async Task A_queue_worker_on_a_cluster_answers_with_only_the_readme_settings()
    {
        await using var shape = await ShapeAsync("cluster-queue");

        Assert.Equal("ScanClean", (await shape.RequestAsync(Mount("clean.txt"))).Kind);
        Assert.Equal("ScanInfected", (await shape.RequestAsync(Mount("eicar.com"))).Kind);
        Assert.Equal(HttpStatusCode.NotAcceptable, await shape.UploadAsync(TestContent.Eicar));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_mount_only_queue_worker_answers_mount_requests_and_refuses_s3_by_name()
    {
        await using var shape = await ShapeAsync("mount-queue");

        Assert.Equal("ScanClean", (await shape.RequestAsync(Mount("clean.txt"))).Kind);
        var infected = await shape.RequestAsync(Mount("eicar.com"));
        Assert.Equal("ScanInfected", infected.Kind);
        var s3 = await shape.RequestAsync(S3("scan-input", "anything.txt"));
        Assert.Equal(("ScanError", "InvalidRequest", false), (s3.Kind, s3.Reason, s3.Transient));
        Assert.Contains("S3__ServiceUrl", s3.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotAcceptable, await shape.UploadAsync(TestContent.Eicar));
        // The mount is the queue's; /scanFile reads only roots named for it (Http__ScanRoots), which this shape has none of.
        Assert.Equal(HttpStatusCode.Forbidden, await shape.ScanFileAsync(Path.Combine(shape.MountRoot, "eicar.com")));
        Assert.DoesNotContain("Amazon", shape.Worker.Output, StringComparison.Ordinal);
        // MassTransit's usage telemetry is off: no call to an outside host, no stack trace where there is no internet.
        Assert.DoesNotContain("usage telemetry", shape.Worker.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = 180_000)]
    public async Task An_s3_only_queue_worker_answers_s3_requests_and_refuses_mount_paths_by_name()
    {
        await using var shape = await ShapeAsync("s3-queue");
        var s3 = await servers.S3Async();
        var clean = $"shapes/{Guid.NewGuid():N}/clean.txt";
        var eicar = $"shapes/{Guid.NewGuid():N}/eicar.com";
        await S3Objects.PutAtAsync(s3, clean, TestContent.CleanText);
        await S3Objects.PutAtAsync(s3, eicar, TestContent.Eicar);

        Assert.Equal("ScanClean", (await shape.RequestAsync(S3(S3Objects.Bucket, clean))).Kind);
        Assert.Equal("ScanInfected", (await shape.RequestAsync(S3(S3Objects.Bucket, eicar))).Kind);
        var mount = await shape.RequestAsync(Mount("clean.txt"));
        Assert.Equal(("ScanError", "InvalidRequest", false), (mount.Kind, mount.Reason, mount.Transient));
        Assert.Contains("Mount__Root", mount.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await shape.UploadAsync(TestContent.CleanText));
    }

    [Fact(Timeout = 180_000)]
    public async Task An_http_only_worker_scans_uploads_and_refuses_server_paths()
    {
        await using var shape = await ShapeAsync("http-only");

        Assert.Equal(HttpStatusCode.OK, await shape.UploadAsync(TestContent.CleanText));
        Assert.Equal(HttpStatusCode.NotAcceptable, await shape.UploadAsync(TestContent.Eicar));
        Assert.Equal(HttpStatusCode.Forbidden, await shape.ScanFileAsync("/etc/hostname"));
        using var ready = await shape.Http.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_bucket_events_worker_scans_a_notified_object_and_tags_it()
    {
        await using var shape = await ShapeAsync("bucket-events");
        await AssertBucketEventScannedAsync(shape);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_worker_with_everything_on_answers_every_kind_of_request()
    {
        await using var shape = await ShapeAsync("all");
        var s3 = await servers.S3Async();
        var key = $"shapes/{Guid.NewGuid():N}/eicar.com";
        await S3Objects.PutAtAsync(s3, key, TestContent.Eicar);

        Assert.Equal("ScanInfected", (await shape.RequestAsync(Mount("eicar.com"))).Kind);
        Assert.Equal("ScanClean", (await shape.RequestAsync(Mount("clean.txt"))).Kind);
        Assert.Equal("ScanInfected", (await shape.RequestAsync(S3(S3Objects.Bucket, key))).Kind);
        Assert.Equal(HttpStatusCode.NotAcceptable, await shape.UploadAsync(TestContent.Eicar));
        Assert.Equal(HttpStatusCode.OK, await shape.ScanFileAsync(Path.Combine(shape.MountRoot, "clean.txt")));
        await AssertBucketEventScannedAsync(shape);
    }

    [Fact(Timeout = 120_000)]
    public async Task Bucket_events_without_s3_settings_stop_at_start_naming_them()
    {
        var clamd = await servers.ClamdAsync();
        await using var worker = WorkerProcess.Start(new Dictionary<string, string>
        {
            ["Messaging__Enabled"] = "false",
            ["BucketEvents__Enabled"] = "true",
            ["CLAMD_PORT"] = clamd.Tcp.ToString(),
            ["PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        });

        Assert.NotEqual(0, await worker.WaitForExitAsync(StartTimeout));
        Assert.Contains("BucketEvents:Enabled needs S3", worker.Output, StringComparison.Ordinal);
        Assert.Contains("S3__ServiceUrl", worker.Output, StringComparison.Ordinal);
    }

    private async Task AssertBucketEventScannedAsync(Shape shape)
    {
        var s3 = await servers.S3Async();
        var key = $"shapes/{Guid.NewGuid():N}/upload.com";
        var etag = await S3Objects.PutAtAsync(s3, key, TestContent.Eicar);
        var item = new EventObject(S3Objects.Bucket, key, etag, Size: TestContent.Eicar.Length);

        await shape.PublishAsync("bucket-events", string.Empty, BucketEventBodies.Minio(item));
        var result = await shape.Results.WaitForMatchAsync(arrived => arrived.TargetKey == key, ResultTimeout);
        await shape.Worker.WaitForOutputAsync($"wrote back to s3://{S3Objects.Bucket}/{key}", ResultTimeout);
        var tags = await S3Objects.TagsAsync(s3, key);

        Assert.Equal("ScanInfected", result.Kind);
        Assert.Equal("bucket-event", result.MetadataValue("origin"));
        Assert.NotNull(tags);
        Assert.Equal("infected", tags["scan-status"]);
    }

    private static string Mount(string path) => "{\"target\":{\"path\":\"" + path + "\"}}";

    private static string S3(string bucket, string key) => "{\"target\":{\"bucket\":\"" + bucket + "\",\"key\":\"" + key + "\"}}";

    /// <summary>Starts the worker with the documented environment for <paramref name="name"/>, on the fixture's servers.</summary>
    private async Task<Shape> ShapeAsync(string name)
    {
        var readme = ReadmeShapes()[name];
        var clamd = await servers.ClamdAsync();
        // A shape that lists cluster nodes runs on the fixture's 3-node cluster, every other on its single broker.
        var cluster = readme.Any(setting => setting.Key.StartsWith("RabbitMq__Nodes__", StringComparison.Ordinal))
            ? await servers.RabbitMqClusterAsync()
            : null;
        var broker = cluster?.Nodes[0] ?? await servers.RabbitMqAsync();
        var s3 = await servers.S3Async();
        var mountRoot = Directory.CreateTempSubdirectory("scanworker-shape-").FullName;
        await File.WriteAllBytesAsync(Path.Combine(mountRoot, "clean.txt"), TestContent.CleanText, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(mountRoot, "eicar.com"), TestContent.Eicar, TestContext.Current.CancellationToken);
        var port = FreePort.Next();
        // Only where the servers are: every key comes from docs/configuration.md, and an unknown key fails the test.
        var local = new Dictionary<string, string>
        {
            ["RabbitMq__Host"] = broker.Amqp.Host,
            ["RabbitMq__Port"] = broker.Amqp.Port.ToString(CultureInfo.InvariantCulture),
            ["RabbitMq__User"] = broker.User,
            ["RabbitMq__Pass"] = broker.Password,
            ["Mount__Root"] = mountRoot,
            ["Http__ScanRoots__0"] = mountRoot,
            ["S3__ServiceUrl"] = s3.ServiceUrl.ToString(),
            ["S3__AccessKey"] = s3.AccessKey,
            ["S3__SecretKey"] = s3.SecretKey,
            ["CLAMD_PORT"] = clamd.Tcp.ToString(),
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in cluster?.NodeSettings() ?? [])
        {
            local[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Logging__LogLevel__MassTransit"] = "Debug",
        };
        foreach (var (key, value) in readme)
        {
            environment[key] = local.TryGetValue(key, out var replaced) ? replaced
                : key is "S3__ForcePathStyle" or "Messaging__Enabled" or "BucketEvents__Enabled" ? value
                : throw new InvalidOperationException($"docs/configuration.md's '{name}' shape sets {key}, which this test does not know how to point at its servers");
        }

        var worker = WorkerProcess.Start(environment);
        var results = await ResultListener.StartAsync(broker, TestContext.Current.CancellationToken);
        var shape = new Shape(worker, results, broker, mountRoot, port);
        try
        {
            await worker.WaitForOutputAsync("Now listening on", StartTimeout);
            if (environment.GetValueOrDefault("Messaging__Enabled") != "false")
            {
                await worker.WaitForOutputAsync("Endpoint Ready: rabbitmq://", StartTimeout);
                await worker.WaitForOutputAsync("/scan-requests", StartTimeout);
            }

            if (environment.GetValueOrDefault("BucketEvents__Enabled") == "true")
            {
                await worker.WaitForOutputAsync("/scan-bucket-events", StartTimeout);
                await worker.WaitForOutputAsync("/scan-bucket-objects", StartTimeout);
            }

            return shape;
        }
        catch
        {
            await shape.DisposeAsync();
            throw;
        }
    }

    /// <summary>The shape blocks of docs/configuration.md: <c># shape: name</c> first, then <c>export KEY=value ...</c> lines.</summary>
    private static Dictionary<string, List<KeyValuePair<string, string>>> ReadmeShapes()
    {
        var shapes = new Dictionary<string, List<KeyValuePair<string, string>>>(StringComparer.Ordinal);
        List<KeyValuePair<string, string>>? current = null;
        foreach (var line in File.ReadLines(RepositoryRoot.Combine("docs", "configuration.md")))
        {
            if (ShapeHeading().Match(line) is { Success: true } heading)
            {
                current = shapes[heading.Groups[1].Value] = [];
            }
            else if (line.StartsWith("```", StringComparison.Ordinal) && !line.StartsWith("```sh", StringComparison.Ordinal))
            {
                current = null;
            }
            else if (current is not null && line.StartsWith("export ", StringComparison.Ordinal))
            {
                current.AddRange(line["export ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(pair => pair.Split('=', 2))
                    .Select(pair => new KeyValuePair<string, string>(pair[0], pair[1])));
            }
        }

        return shapes;
    }

    [GeneratedRegex(@"^# shape: ([a-z0-9-]+)")]
    private static partial Regex ShapeHeading();

    private sealed class Shape(WorkerProcess worker, ResultListener results, RabbitMqServer broker, string mountRoot, int port)
        : IAsyncDisposable
    {
        public WorkerProcess Worker { get; } = worker;

        public ResultListener Results { get; } = results;

        public string MountRoot { get; } = mountRoot;

        public HttpClient Http { get; } = new() { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };

        /// <summary>Publishes a plain-JSON request (a fresh scanId added) to <c>scan-requests</c>, as a documented producer does, and waits for its result.</summary>
        public async Task<ScanResult> RequestAsync(string body)
        {
            var scanId = Guid.NewGuid();
            await PublishAsync(string.Empty, "scan-requests", body.Insert(1, $"\"scanId\":\"{scanId}\","));
            return await Results.WaitForAsync(scanId, ResultTimeout);
        }

        public async Task PublishAsync(string exchange, string routingKey, string body)
        {
            var token = TestContext.Current.CancellationToken;
            await using var connection = await new ConnectionFactory { Uri = broker.Amqp }.CreateConnectionAsync(token);
            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), token);
            await channel.BasicPublishAsync(exchange, routingKey, mandatory: true,
                new BasicProperties { ContentType = "application/json", Persistent = true }, Encoding.UTF8.GetBytes(body), token);
        }

        public async Task<HttpStatusCode> UploadAsync(byte[] content)
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", "upload.bin" } };
            using var response = await Http.PostAsync(new Uri("/v2/scan", UriKind.Relative), form, TestContext.Current.CancellationToken);
            return response.StatusCode;
        }

        public async Task<HttpStatusCode> ScanFileAsync(string path)
        {
            using var response = await Http.GetAsync(new Uri($"/scanFile?path={Uri.EscapeDataString(path)}", UriKind.Relative),
                TestContext.Current.CancellationToken);
            return response.StatusCode;
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Results.DisposeAsync();
            await Worker.DisposeAsync();
            Directory.Delete(MountRoot, recursive: true);
        }
    }
}
