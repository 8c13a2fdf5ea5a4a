using RabbitMQ.Client;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Messaging;

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
    public async Task Quorum_queues_are_chosen_by_configuration_and_work()
    {
        var token = TestContext.Current.CancellationToken;
        var broker = await servers.CreateVirtualHostAsync();
        await using var listener = await ResultListener.StartAsync(broker, token);
        await using var worker = await WorkerHost.StartAsync(servers, settings => settings["Messaging:QueueType"] = "Quorum", broker: broker);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "eicar.com"), TestContent.Eicar, token);
        var id = Guid.NewGuid();

        await worker.SendAsync(new ScanWorker.Contracts.ScanRequested { ScanId = id, Target = new() { Path = "eicar.com" } });
        var result = await listener.WaitForAsync(id, TimeSpan.FromSeconds(60));

        Assert.Equal("ScanInfected", result.Kind);
        Assert.Equal("quorum", await QueueTypeOfAsync(broker, worker.Queue));
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
