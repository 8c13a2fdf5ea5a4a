using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Messaging;

[RealServers]
public sealed class QueueTopologyTests(TestServers servers)
{
    [Fact(Timeout = 120_000)]
    public async Task Result_exchanges_exist_and_feed_ScanCompleted_as_soon_as_the_worker_is_ready()
    {
        var token = TestContext.Current.CancellationToken;
        var broker = await servers.CreateVirtualHostAsync();
        await using var worker = await WorkerHost.StartAsync(servers, broker: broker);
        await using var connection = await new ConnectionFactory { Uri = broker.Amqp }.CreateConnectionAsync(token);
        // With publisher confirms, a publish returns once the broker has routed the message.
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), token);

        foreach (var exchange in new[] { "ScanClean", "ScanInfected", "ScanError", "ScanCompleted" })
        {
            // Passive: throws (and closes the channel) when the exchange does not exist.
            await channel.ExchangeDeclarePassiveAsync("ScanWorker.Contracts:" + exchange, token);
        }

        var queue = await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true, cancellationToken: token);
        await channel.QueueBindAsync(queue.QueueName, ResultListener.ResultsExchange, string.Empty, cancellationToken: token);
        await channel.BasicPublishAsync("ScanWorker.Contracts:ScanInfected", string.Empty, "{}"u8.ToArray(), token);
        var routed = await channel.BasicGetAsync(queue.QueueName, autoAck: true, token);

        Assert.NotNull(routed);
    }

    [Fact(Timeout = 120_000)]
    public async Task Every_queue_the_worker_declares_is_quorum_by_default_error_queues_included()
    {
        var token = TestContext.Current.CancellationToken;
        var broker = await servers.CreateVirtualHostAsync();
        await using var listener = await ResultListener.StartAsync(broker, token);
        await using var worker = await BucketWorker.StartAsync(servers, broker: broker);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "eicar.com"), TestContent.Eicar, token);
        var id = Guid.NewGuid();

        await worker.SendAsync(new ScanWorker.Contracts.ScanRequested { ScanId = id, Target = new() { Path = "eicar.com" } });
        Assert.Equal("ScanInfected", (await listener.WaitForAsync(id, TimeSpan.FromSeconds(60))).Kind);
        // No readable scanId: nobody can be answered, so the message is moved to the error queue, declared on first use.
        await worker.PublishRawAsync("""{"target":{"path":"eicar.com"}}""");
        await WaitForMessagesAsync(worker, worker.ErrorQueue, token);
        await worker.PublishEventAsync("not a notification");
        await WaitForMessagesAsync(worker, worker.BucketOptions().Queue + "_error", token);

        var bucket = worker.BucketOptions();
        foreach (var queue in new[] { worker.Queue, worker.ErrorQueue, bucket.Queue, bucket.Queue + "_error", bucket.ObjectsQueue, bucket.RescanQueue, bucket.RescanRequestsQueue })
        {
            Assert.Equal(("quorum", queue), (await QueueTypeOfAsync(broker, queue), queue));
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Classic_queues_stay_selectable()
    {
        var token = TestContext.Current.CancellationToken;
        var broker = await servers.CreateVirtualHostAsync();
        await using var listener = await ResultListener.StartAsync(broker, token);
        await using var worker = await WorkerHost.StartAsync(servers, settings => settings["Messaging:QueueType"] = "Classic", broker: broker);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "eicar.com"), TestContent.Eicar, token);
        var id = Guid.NewGuid();

        await worker.SendAsync(new ScanWorker.Contracts.ScanRequested { ScanId = id, Target = new() { Path = "eicar.com" } });

        Assert.Equal("ScanInfected", (await listener.WaitForAsync(id, TimeSpan.FromSeconds(60))).Kind);
        Assert.Equal("classic", await QueueTypeOfAsync(broker, worker.Queue));
    }

    /// <summary>An existing deployment whose queue was declared classic, upgraded to the quorum default.</summary>
    [Fact(Timeout = 120_000)]
    public async Task A_queue_left_classic_by_an_older_deployment_stops_the_endpoint_with_a_log_that_names_the_fix()
    {
        var token = TestContext.Current.CancellationToken;
        var broker = await servers.CreateVirtualHostAsync();
        var queue = $"scan-requests-{Guid.NewGuid():N}"[..26];
        await using (var connection = await new ConnectionFactory { Uri = broker.Amqp }.CreateConnectionAsync(token))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: token))
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: token);
        }

        var logs = new LogCapture();
        await Assert.ThrowsAnyAsync<Exception>(() => WorkerHost.StartAsync(servers, queue: queue, broker: broker,
            services: services => services.AddLogging(logging => logging.AddProvider(logs))));

        // The endpoint faults on the broker's refusal (first or on a retry): event 1005 names the fix.
        var logged = await logs.WaitForAsync(1005, message => message.Contains(queue, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.Contains("inequivalent arg 'x-queue-type'", logged, StringComparison.Ordinal);
        Assert.Contains("Messaging:QueueType=Quorum", logged, StringComparison.Ordinal);
        Assert.Contains("Messaging__QueueType=Classic", logged, StringComparison.Ordinal);
        Assert.Equal("classic", await QueueTypeOfAsync(broker, queue));
    }

    private static async Task WaitForMessagesAsync(WorkerHost worker, string queue, CancellationToken token)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            // 0 also while it is not declared: MassTransit declares an error queue when it first moves a message there.
            if (await worker.CountMessagesAsync(queue) > 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }

    // RabbitMQ does not report a queue's type to AMQP clients, but re-declaring with a different type is refused.
    private static async Task<string> QueueTypeOfAsync(RabbitMqServer broker, string queue)
    {
        var token = TestContext.Current.CancellationToken;
        await using var connection = await new ConnectionFactory { Uri = broker.Amqp }.CreateConnectionAsync(token);
        foreach (var type in new[] { "classic", "quorum" })
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: token);
            try
            {
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                    new Dictionary<string, object?> { ["x-queue-type"] = type }, cancellationToken: token);
                return type;
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 406)
            {
                // PRECONDITION_FAILED: not this type.
            }
        }

        return "unknown";
    }
}
