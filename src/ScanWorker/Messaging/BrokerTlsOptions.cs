namespace ScanWorker.Messaging;

/// <summary>
/// TLS to the broker beyond MassTransit's <c>RabbitMq:UseSsl</c>, section <c>RabbitMq</c>. The broker's certificate is
/// always checked in full (chain and name) before anything is sent; these name what to trust and who the worker is.
/// </summary>
public sealed class BrokerTlsOptions
{
    /// <summary>PEM file of the CA certificate(s) that issued the broker's certificate (a private CA); unset: the system store.</summary>
    public string? CaCertificate { get; set; }

    /// <summary>The name the broker's certificate must carry; unset: <c>RabbitMq:Host</c> (the first of <c>RabbitMq:Nodes</c>).</summary>
    public string? ServerName { get; set; }

    /// <summary>PEM certificate the worker presents for mutual TLS (with <see cref="ClientKey"/>).</summary>
    public string? ClientCertificate { get; set; }

    /// <summary>PEM private key of <see cref="ClientCertificate"/>.</summary>
    public string? ClientKey { get; set; }
}
