using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Smoke;

/// <summary>The fixture's RabbitMQ is a real broker: connect, declare, publish, get.</summary>
[RealServers]
public sealed class RabbitMqSmokeTests(TestServers servers)
{
    [Fact(Timeout = 120_000)]
    public async Task Broker_accepts_a_connection_a_declaration_and_a_round_trip()
    {
        var token = TestContext.Current.CancellationToken;
        var broker = await servers.RabbitMqAsync();
        var factory = new ConnectionFactory { Uri = broker.Amqp, ClientProvidedName = "scanworker-smoke" };
        await using var connection = await factory.CreateConnectionAsync(token);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: token);
        var queue = $"smoke-{Guid.NewGuid():N}";
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true, cancellationToken: token);

        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            received.TrySetResult(delivery.Body.ToArray());
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer, token);

        var body = Encoding.UTF8.GetBytes("""{"hello":"broker"}""");
        await channel.BasicPublishAsync(exchange: string.Empty, routingKey: queue, body: body, cancellationToken: token);

        Assert.Equal(body, await received.Task.WaitAsync(token));
        Assert.True(connection.IsOpen);
    }
}
