using ScanWorker.Contracts;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Messaging;

/// <summary>
/// A worker given every node of a real 3-node cluster (<c>RabbitMq:Nodes</c>) keeps scanning when the node it is
/// connected to dies: it reconnects to a survivor, and its quorum queue, led elsewhere or re-elected, keeps the
/// requests published meanwhile.
/// </summary>
[RealServers]
[Collection(ClusterTests.Name)]
public sealed class BrokerClusterTests(TestServers servers)
{
    private static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(90);

    [Fact(Timeout = 300_000)]
    public async Task The_worker_survives_the_death_of_the_node_it_is_connected_to()
    {
        var token = TestContext.Current.CancellationToken;
        var cluster = await servers.RabbitMqClusterAsync();
        await using var listener = await ResultListener.StartAsync(cluster.Nodes[2], token);
        // The worker lists node 0 first, so that is the node it connects to; requests go in through node 1.
        await using var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            foreach (var (key, value) in cluster.NodeSettings())
            {
                settings[key] = value;
            }

            // Not a broker: with Nodes set, Host is not used.
            settings["RabbitMq:Host"] = "host.invalid";
        }, broker: cluster.Nodes[1]);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "eicar.com"), TestContent.Eicar, token);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "clean.txt"), TestContent.CleanText, token);
        var before = new ScanRequested { ScanId = Guid.NewGuid(), Target = new ScanTarget { Path = "eicar.com" } };
        await worker.SendAsync(before);
        Assert.Equal("ScanInfected", (await listener.WaitForAsync(before.ScanId, ResultTimeout)).Kind);

        try
        {
            await cluster.KillAsync(0);
            var after = Enumerable.Range(0, 10)
                .Select(i => new ScanRequested { ScanId = Guid.NewGuid(), Target = new ScanTarget { Path = i % 2 == 0 ? "clean.txt" : "eicar.com" } })
                .ToArray();
            foreach (var request in after)
            {
                await worker.SendAsync(request);
            }

            var results = await listener.WaitForAllAsync(after.Select(request => request.ScanId), ResultTimeout);
            Assert.All(after, request => Assert.Equal(request.Target.Path == "clean.txt" ? "ScanClean" : "ScanInfected",
                results.Single(result => result.ScanId == request.ScanId).Kind));
        }
        finally
        {
            await cluster.StartAsync(0);
        }
    }
}
