using System.Diagnostics.CodeAnalysis;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MassTransit;

namespace ScanWorker.Messaging;

/// <summary>
/// The broker connection from section <c>RabbitMq</c>, configured in one place for one broker and for a cluster:
/// MassTransit's own keys (Host, Port, VHost, User, Pass, UseSsl, ConnectionName) plus <see cref="BrokerClusterOptions.Nodes"/>
/// and <see cref="BrokerTlsOptions"/>.
/// </summary>
internal static class BrokerConnection
{
    public static IReadOnlyList<BrokerNode> Nodes(RabbitMqTransportOptions broker, BrokerClusterOptions cluster) =>
        cluster.Nodes.Count == 0
            ? [new BrokerNode(broker.Host, broker.Port)]
            : [.. cluster.Nodes.Select(text => BrokerNode.TryParse(text, broker.Port, out var node)
                ? node
                : throw new InvalidOperationException($"RabbitMq:Nodes entry '{text}' is not valid"))];

    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope",
        Justification = "The CA and client certificates serve every connection for the life of the bus.")]
    public static void Configure(IRabbitMqBusFactoryConfigurator rabbit, RabbitMqTransportOptions broker, BrokerClusterOptions cluster,
        BrokerTlsOptions tls, ILogger logger)
    {
        var nodes = Nodes(broker, cluster);
        var primary = nodes[0];
        rabbit.Host(primary.Host, primary.Port, broker.VHost, broker.ConnectionName, host =>
        {
            host.Username(broker.User);
            host.Password(broker.Pass);
            if (broker.UseSsl)
            {
                host.UseSsl(ssl =>
                {
                    ssl.Protocol = SslProtocols.Tls12 | SslProtocols.Tls13;
                    ssl.ServerName = string.IsNullOrEmpty(tls.ServerName) ? primary.Host : tls.ServerName;
                    // MassTransit accepts chain errors by default; every error counts here, and the check below decides.
                    ssl.EnforcePolicyErrors(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch
                        | SslPolicyErrors.RemoteCertificateNotAvailable);
                    X509Certificate2Collection? roots = null;
                    if (!string.IsNullOrEmpty(tls.CaCertificate))
                    {
                        roots = [];
                        roots.ImportFromPemFile(tls.CaCertificate);
                    }

                    ssl.CertificateValidationCallback = new BrokerCertificateCheck(roots, logger).Validate;
                    if (!string.IsNullOrEmpty(tls.ClientCertificate) && !string.IsNullOrEmpty(tls.ClientKey))
                    {
                        ssl.Certificate = X509Certificate2.CreateFromPemFile(tls.ClientCertificate, tls.ClientKey);
                    }
                });
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
