using System.Security.Cryptography;
using ScanWorker.Contracts;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Messaging;

/// <summary>ScanRequested through real RabbitMQ, S3 server and clamd, to the published result.</summary>
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
        Assert.Equal("1.4.6", results[0].Message.GetProperty("clamAvVersion").GetString()?[..5]);
        Assert.Equal(clean.Key, results[0].Message.GetProperty("target").GetProperty("key").GetString());
        Assert.Equal("ScanInfected", results[1].Kind);
        Assert.StartsWith("ScanWorker.Test.EICAR", Assert.Single(results[1].Signatures), StringComparison.Ordinal);
        Assert.Equal("ScanInfected", results[2].Kind);
    }

    private static ScanRequested Request(Guid id, string key, IReadOnlyDictionary<string, string>? metadata = null) => new()
    {
        ScanId = id,
        Target = new ScanTarget { Bucket = S3Objects.Bucket, Key = key },
        Metadata = metadata,
        RequestedAt = DateTimeOffset.UtcNow,
    };
}
