using MassTransit;
using MassTransit.Testing;
using ScanWorker.Buckets;
using ScanWorker.Contracts;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Buckets;

/// <summary>
/// A signature version becomes its rescans once, on MassTransit's in-memory harness (fast tier); the same with two
/// workers, a real clamd and a real Ceph RGW is in CephRgwNotificationTests.
/// </summary>
public sealed class SignatureUpdateConsumerSpecs : IAsyncLifetime
{
    private QueueSpecHost _spec = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _spec = await QueueSpecHost.StartAsync(
        bus =>
        {
            // Excluded from the endpoint conventions (its queue is declared with a single active consumer): declared here.
            bus.AddConsumer<SignatureUpdateConsumer>();
            bus.UsingInMemory((context, memory) =>
            {
                memory.ReceiveEndpoint("scan-signature-updates", endpoint => endpoint.ConfigureConsumer<SignatureUpdateConsumer>(context));
                memory.ConfigureEndpoints(context);
            });
        },
        new Dictionary<string, string?>
        {
            ["BucketEvents:SignatureUpdateRescans:0"] = "uploads",
            ["BucketEvents:SignatureUpdateRescans:1"] = "shared/tenant-a/",
            ["BucketEvents:SignatureUpdateWindow"] = "2.00:00:00",
        },
        builder => builder.AddBucketEvents());

    public ValueTask DisposeAsync() => _spec.DisposeAsync();

    [Fact]
    public async Task Each_version_is_turned_into_one_rescan_per_target_however_many_workers_report_it()
    {
        foreach (var version in new[] { 27001, 27001, 27000, 27001 })
        {
            await _spec.Harness.Bus.Publish(new SignatureUpdated { Version = version, Previous = 26999 }, Token);
        }

        Assert.Equal(4, await _spec.Harness.Consumed.SelectAsync<SignatureUpdated>(Token).Count());
        var rescans = await _spec.Harness.Sent.SelectAsync<RescanRequested>(Token).Select(sent => sent.Context.Message).ToListAsync(Token);
        Assert.Equal([("uploads", (string?)null), ("shared", "tenant-a/")], rescans.Select(rescan => (rescan.Bucket, rescan.Prefix)));
        Assert.All(rescans, rescan =>
        {
            Assert.True(rescan.OnlyClean);
            Assert.Equal(27001, rescan.OlderThanSignatureVersion);
            Assert.InRange(DateTimeOffset.UtcNow - rescan.ModifiedAfter!.Value, TimeSpan.FromDays(2) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        });
        // Deterministic: the same version and target give the same rescan id, whichever worker issues it.
        Assert.Equal(BucketScanId.For("uploads", string.Empty, "signatures:27001", "signature-update"), rescans[0].RescanId);
    }
}
