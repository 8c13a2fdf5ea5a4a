using System.Security.Authentication;
using MassTransit;

namespace ScanWorker.Messaging;

/// <summary>
/// The broker connection from section <c>RabbitMq</c>, configured in one place for one broker and for a cluster:
/// MassTransit's own keys (Host, Port, VHost, User, Pass, UseSsl, ConnectionName) plus <see cref="BrokerClusterOptions.Nodes"/>.
/// </summary>
internal static class BrokerConnection
{
    public static IReadOnlyList<BrokerNode> Nodes(RabbitMqTransportOptions broker, BrokerClusterOptions cluster) =>
        cluster.Nodes.Count == 0
            ? [new BrokerNode(broker.Host, broker.Port)]
            : [.. cluster.Nodes.Select(text => BrokerNode.TryParse(text, broker.Port, out var node)
                ? node
                : throw new InvalidOperationException($"RabbitMq:Nodes entry '{text}' is not valid"))];

    public static void Configure(IRabbitMqBusFactoryConfigurator rabbit, RabbitMqTransportOptions broker, BrokerClusterOptions cluster)
    {
        var nodes = Nodes(broker, cluster);
        var primary = nodes[0];
        rabbit.Host(primary.Host, primary.Port, broker.VHost, broker.ConnectionName, host =>
        {
            host.Username(broker.User);
            host.Password(broker.Pass);
            if (broker.UseSsl)
            {
                // Server name and certificate checks as the client library does them; TLS 1.2 or newer.
                host.UseSsl(ssl => ssl.Protocol = SslProtocols.Tls12 | SslProtocols.Tls13);
            }

            if (cluster.Nodes.Count > 0)
            {
                // The client tries the nodes in order at every (re)connect, so a dead node is skipped.
                host.UseCluster(members =>
                {
                    foreach (var node in nodes)
                    {
                        members.Node(node.ToString());
                    }
                });
            }
        });
    }
}
