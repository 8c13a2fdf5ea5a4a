using System.Globalization;
using ScanWorker.Contracts;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Messaging;

/// <summary>
/// TLS to the broker: a real RabbitMQ with a certificate from a private CA made here (and requiring the worker's own
/// client certificate) is trusted through RabbitMq__CaCertificate; a broker whose certificate is self-signed, or issued
/// for another name, is refused during the handshake, before the AMQP header and the password are sent.
/// </summary>
[RealServers]
public sealed class BrokerTlsTests(TestServers servers)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    // Diagnostics/Log.cs: the broker's certificate refused; a queue consumed.
    private const int CertificateRejectedEventId = 1014;
    private const int ConsumingEventId = 1013;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 240_000)]
    public async Task A_broker_with_a_certificate_from_the_configured_private_CA_and_mutual_TLS_carries_scans()
    {
        using var certificates = new TestCertificates();
        using var brokerCertificate = certificates.Issue("broker", "localhost");
        using var client = certificates.Issue("worker", "scanworker", client: true);
        var tlsPort = FreePort.Next();
        var broker = await servers.StartPrivateRabbitMqAsync(new Dictionary<string, string>
        {
            ["RMQ_TLS_PORT"] = tlsPort.ToString(CultureInfo.InvariantCulture),
            ["RMQ_TLS_CERT"] = brokerCertificate.CertificateFile,
            ["RMQ_TLS_KEY"] = brokerCertificate.KeyFile,
            ["RMQ_TLS_CA"] = certificates.CaFile,
            ["RMQ_TLS_VERIFY_CLIENT"] = "yes",
        });
        await using var listener = await ResultListener.StartAsync(broker, Token);
        await using var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["RabbitMq:Host"] = "localhost";
            settings["RabbitMq:Port"] = tlsPort.ToString(CultureInfo.InvariantCulture);
            settings["RabbitMq:UseSsl"] = "true";
            settings["RabbitMq:CaCertificate"] = certificates.CaFile;
            settings["RabbitMq:ClientCertificate"] = client.CertificateFile;
            settings["RabbitMq:ClientKey"] = client.KeyFile;
        }, broker: broker);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "eicar.com"), TestContent.Eicar, Token);
        var id = Guid.NewGuid();

        await worker.SendAsync(new ScanRequested { ScanId = id, Target = new ScanTarget { Path = "eicar.com" } });
        var result = await listener.WaitForAsync(id, Timeout);

        Assert.Equal("ScanInfected", result.Kind);
        Assert.Empty(worker.Logs.MessagesOf(CertificateRejectedEventId));

        // The same real broker, to a worker told nothing of the private CA: refused against the system store.
        await using var untrusting = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["RabbitMq:Host"] = "localhost";
            settings["RabbitMq:Port"] = tlsPort.ToString(CultureInfo.InvariantCulture);
            settings["RabbitMq:UseSsl"] = "true";
            settings["RabbitMq:ClientCertificate"] = client.CertificateFile;
            settings["RabbitMq:ClientKey"] = client.KeyFile;
        }, broker: broker, waitForQueues: false);
        var refused = await untrusting.Logs.FirstAsync(CertificateRejectedEventId, Timeout);
        Assert.Contains("does not chain to a root this system trusts", refused, StringComparison.Ordinal);
        Assert.Empty(untrusting.Logs.MessagesOf(ConsumingEventId));
    }

    [Theory(Timeout = 120_000)]
    [InlineData("self-signed", "localhost", false, "does not chain to the CA in RabbitMq__CaCertificate")]
    [InlineData("wrong-name", "other.example", true, "is not for the name the worker connects to")]
    public async Task A_broker_certificate_that_is_not_trusted_is_refused_before_anything_is_sent(string name, string dnsName, bool signedByCa,
        string why)
    {
        using var certificates = new TestCertificates();
        using var impostor = certificates.Issue(name, dnsName, signedByCa);
        await using var fake = new FakeTlsBroker(impostor.Certificate);
        await using var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["RabbitMq:Host"] = "localhost";
            settings["RabbitMq:Port"] = fake.Port.ToString(CultureInfo.InvariantCulture);
            settings["RabbitMq:UseSsl"] = "true";
            settings["RabbitMq:CaCertificate"] = certificates.CaFile;
        }, waitForQueues: false);

        var refused = await worker.Logs.FirstAsync(CertificateRejectedEventId, Timeout);

        Assert.Contains(why, refused, StringComparison.Ordinal);
        Assert.Equal(0, fake.BytesAfterHandshake);
        Assert.Empty(worker.Logs.MessagesOf(ConsumingEventId));
    }

    [Fact(Timeout = 120_000)]
    public async Task Without_a_configured_CA_a_self_signed_broker_is_refused_against_the_system_store()
    {
        using var certificates = new TestCertificates();
        using var impostor = certificates.Issue("self-signed", "localhost", signedByCa: false);
        await using var fake = new FakeTlsBroker(impostor.Certificate);
        await using var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["RabbitMq:Host"] = "localhost";
            settings["RabbitMq:Port"] = fake.Port.ToString(CultureInfo.InvariantCulture);
            settings["RabbitMq:UseSsl"] = "true";
        }, waitForQueues: false);

        var refused = await worker.Logs.FirstAsync(CertificateRejectedEventId, Timeout);

        Assert.Contains("does not chain to a root this system trusts", refused, StringComparison.Ordinal);
        Assert.Equal(0, fake.BytesAfterHandshake);
    }
}
