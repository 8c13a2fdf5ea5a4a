using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using ScanWorker.Contracts;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Messaging;

/// <summary>ScanRequested through real RabbitMQ, S3 server and clamd, to the published result.</summary>
[RealServers]
public sealed class QueueScanTests(TestServers servers)
{
    private static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 120_000)]
    public async Task Clean_infected_and_zipped_infected_S3_objects_get_their_verdicts()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await WorkerHost.StartAsync(servers);
        var clean = await S3Objects.PutAsync(s3, "queue", TestContent.CleanText);
        var eicar = await S3Objects.PutAsync(s3, "queue", TestContent.Eicar);
        var zipped = await S3Objects.PutAsync(s3, "queue", TestContent.Zip("inner/eicar.com", TestContent.Eicar));
        var metadata = new Dictionary<string, string> { ["uploadedBy"] = "tests", ["ticket"] = "42" };

        var ids = new[] { clean.Key, eicar.Key, zipped.Key }.Select(_ => Guid.NewGuid()).ToArray();
        await worker.SendAsync(Request(ids[0], clean.Key, metadata));
        await worker.SendAsync(Request(ids[1], eicar.Key));
        await worker.SendAsync(Request(ids[2], zipped.Key));
        var results = await listener.WaitForAllAsync(ids, ResultTimeout);

        Assert.Equal("ScanClean", results[0].Kind);
        Assert.Equal(TestContent.CleanText.Length, results[0].ScannedBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(TestContent.CleanText)), results[0].Sha256);
        Assert.Equal("tests", results[0].Message.GetProperty("metadata").GetProperty("uploadedBy").GetString());
        var engine = await (await servers.ClamdAsync()).EngineAsync(TestContext.Current.CancellationToken);
        Assert.Equal(engine, results[0].Message.GetProperty("clamAvVersion").GetString());
        Assert.Equal(clean.Key, results[0].Message.GetProperty("target").GetProperty("key").GetString());
        Assert.Equal("ScanInfected", results[1].Kind);
        Assert.StartsWith("ScanWorker.Test.EICAR", Assert.Single(results[1].Signatures), StringComparison.Ordinal);
        Assert.Equal("ScanInfected", results[2].Kind);
    }

    [Fact(Timeout = 120_000)]
    public async Task Clean_infected_and_zipped_infected_mount_files_get_their_verdicts()
    {
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await WorkerHost.StartAsync(servers);
        Directory.CreateDirectory(Path.Combine(worker.MountRoot, "in box"));
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "in box", "clean.txt"), TestContent.CleanText, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "in box", "eicar.com"), TestContent.Eicar, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "in box", "eicar.zip"), TestContent.Zip("e.com", TestContent.Eicar),
            TestContext.Current.CancellationToken);

        var ids = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        await worker.SendAsync(MountRequest(ids[0], "in box/clean.txt"));
        await worker.SendAsync(MountRequest(ids[1], "in box/eicar.com"));
        await worker.SendAsync(MountRequest(ids[2], "in box/eicar.zip"));
        var results = await listener.WaitForAllAsync(ids, ResultTimeout);

        Assert.Equal(["ScanClean", "ScanInfected", "ScanInfected"], results.Select(result => result.Kind));
        Assert.Equal(TestContent.CleanText.Length, results[0].ScannedBytes);
        Assert.Equal("in box/clean.txt", results[0].Message.GetProperty("target").GetProperty("path").GetString());
    }

    [Fact(Timeout = 120_000)]
    public async Task An_object_over_the_limit_is_too_large_from_one_GET_whose_body_is_never_scanned()
    {
        var s3 = await servers.S3Async();
        var limit = (await servers.ClamdAsync()).StreamMaxBytes;
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        using var realClient = S3Objects.Client(s3);
        var (countingClient, counter) = CountingS3.Wrap(realClient);
        await using var worker = await WorkerHost.StartAsync(servers, services: services => services.AddSingleton(countingClient));
        var big = await S3Objects.PutAsync(s3, "queue", new byte[limit + 1]);

        var id = Guid.NewGuid();
        await worker.SendAsync(Request(id, big.Key));
        var result = await listener.WaitForAsync(id, ResultTimeout);

        Assert.Equal("ScanError", result.Kind);
        Assert.Equal("TooLarge", result.Reason);
        Assert.False(result.Transient);
        Assert.Equal(0, result.ScannedBytes);
        Assert.Contains($"is {limit + 1} bytes", result.Detail, StringComparison.Ordinal);
        // One request per object: the GET's Content-Length decides, no HEAD first (issue 23).
        Assert.Equal(0, counter.CallsTo(nameof(Amazon.S3.IAmazonS3.GetObjectMetadataAsync)));
        Assert.Equal(1, counter.CallsTo(nameof(Amazon.S3.IAmazonS3.GetObjectAsync)));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_version_id_pins_the_one_download()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        using var realClient = S3Objects.Client(s3);
        var (countingClient, counter) = CountingS3.Wrap(realClient);
        await using var worker = await WorkerHost.StartAsync(servers, services: services => services.AddSingleton(countingClient));
        var existing = await S3Objects.PutAsync(s3, "queue", TestContent.CleanText);
        var id = Guid.NewGuid();

        // The test server keeps no versions and ignores the parameter; what matters is that both requests carry it.
        await worker.SendAsync(new ScanRequested
        {
            ScanId = id,
            Target = new ScanTarget { Bucket = S3Objects.Bucket, Key = existing.Key, VersionId = "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrH" },
        });
        await listener.WaitForAsync(id, ResultTimeout);

        Assert.Empty(counter.Requests.OfType<Amazon.S3.Model.GetObjectMetadataRequest>());
        var get = Assert.Single(counter.Requests.OfType<Amazon.S3.Model.GetObjectRequest>());
        Assert.Equal("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrH", get.VersionId);
        Assert.Null(get.EtagToMatch); // nothing to pin it to beyond the version the request names
    }

    [Fact(Timeout = 120_000)]
    public async Task A_missing_key_is_not_found_and_a_changed_etag_is_changed()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await WorkerHost.StartAsync(servers);
        var existing = await S3Objects.PutAsync(s3, "queue", TestContent.CleanText);

        var missing = Guid.NewGuid();
        var changed = Guid.NewGuid();
        var pinned = Guid.NewGuid();
        await worker.SendAsync(Request(missing, $"queue/{Guid.NewGuid():N}-missing.bin"));
        await worker.SendAsync(Request(changed, existing.Key) with
        {
            Target = new ScanTarget { Bucket = S3Objects.Bucket, Key = existing.Key, ETag = "\"0123456789abcdef0123456789abcdef\"" },
        });
        await worker.SendAsync(Request(pinned, existing.Key) with
        {
            Target = new ScanTarget { Bucket = S3Objects.Bucket, Key = existing.Key, ETag = existing.ETag.Trim('"') },
        });
        var results = await listener.WaitForAllAsync([missing, changed, pinned], ResultTimeout);

        Assert.Equal(("ScanError", "NotFound"), (results[0].Kind, results[0].Reason));
        Assert.Equal(("ScanError", "Changed"), (results[1].Kind, results[1].Reason));
        Assert.Equal("ScanClean", results[2].Kind);
    }

    [Fact(Timeout = 120_000)]
    public async Task S3_refusing_access_is_AccessDenied_and_S3_unreachable_is_a_transient_SourceUnavailable()
    {
        var s3 = await servers.S3Async();
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var wrongSecret = await WorkerHost.StartAsync(servers, settings => settings["S3:SecretKey"] = "not-the-secret");
        await using var unreachable = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["S3:ServiceUrl"] = $"http://127.0.0.1:{FreePort.Next()}";
            settings["Messaging:RetryLimit"] = "1";
        });
        var existing = await S3Objects.PutAsync(s3, "queue", TestContent.CleanText);
        var denied = Guid.NewGuid();
        var down = Guid.NewGuid();

        await wrongSecret.SendAsync(Request(denied, existing.Key));
        await unreachable.SendAsync(Request(down, existing.Key));
        var results = await listener.WaitForAllAsync([denied, down], ResultTimeout);

        Assert.Equal(("ScanError", "AccessDenied", false), (results[0].Kind, results[0].Reason, results[0].Transient));
        Assert.Equal(("ScanError", "SourceUnavailable", true), (results[1].Kind, results[1].Reason, results[1].Transient));
    }

    [Fact(Timeout = 120_000)]
    public async Task Mount_paths_that_escape_or_are_not_files_are_invalid_and_missing_ones_not_found()
    {
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await WorkerHost.StartAsync(servers);
        var outside = Directory.CreateTempSubdirectory("scanworker-outside-");
        await File.WriteAllTextAsync(Path.Combine(outside.FullName, "secret.txt"), "secret", TestContext.Current.CancellationToken);
        File.CreateSymbolicLink(Path.Combine(worker.MountRoot, "link.txt"), Path.Combine(outside.FullName, "secret.txt"));
        Directory.CreateDirectory(Path.Combine(worker.MountRoot, "dir"));
        var cases = new Dictionary<string, string>
        {
            ["/etc/passwd"] = "InvalidRequest",
            ["../etc/passwd"] = "InvalidRequest",
            ["dir/../../etc/passwd"] = "InvalidRequest",
            ["link.txt"] = "InvalidRequest",
            ["dir"] = "InvalidRequest",
            ["missing.txt"] = "NotFound",
        };
        var ids = cases.Keys.ToDictionary(path => path, _ => Guid.NewGuid());

        foreach (var (path, id) in ids)
        {
            await worker.SendAsync(MountRequest(id, path));
        }

        foreach (var (path, reason) in cases)
        {
            var result = await listener.WaitForAsync(ids[path], ResultTimeout);
            Assert.Equal(("ScanError", reason), (result.Kind, result.Reason));
            Assert.Equal(0, result.ScannedBytes);
        }

        outside.Delete(recursive: true);
    }

    private static ScanRequested MountRequest(Guid id, string path) => new()
    {
        ScanId = id,
        Target = new ScanTarget { Path = path },
    };

    private static ScanRequested Request(Guid id, string key, IReadOnlyDictionary<string, string>? metadata = null) => new()
    {
        ScanId = id,
        Target = new ScanTarget { Bucket = S3Objects.Bucket, Key = key },
        Metadata = metadata,
        RequestedAt = DateTimeOffset.UtcNow,
    };
}
