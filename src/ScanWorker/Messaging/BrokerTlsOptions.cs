using Microsoft.Extensions.Options;

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

internal sealed class BrokerTlsOptionsValidator(IOptions<MassTransit.RabbitMqTransportOptions> broker) : IValidateOptions<BrokerTlsOptions>
{
    public ValidateOptionsResult Validate(string? name, BrokerTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var files = new[] { ("CaCertificate", options.CaCertificate), ("ClientCertificate", options.ClientCertificate), ("ClientKey", options.ClientKey) }
            .Where(file => !string.IsNullOrEmpty(file.Item2))
            .ToList();
        failures.AddRange(files.Where(file => !File.Exists(file.Item2)).Select(file => $"RabbitMq:{file.Item1} '{file.Item2}' is not a readable file."));
        if (string.IsNullOrEmpty(options.ClientCertificate) != string.IsNullOrEmpty(options.ClientKey))
        {
            failures.Add("RabbitMq:ClientCertificate and RabbitMq:ClientKey go together: set both for mutual TLS, or neither.");
        }

        if ((files.Count > 0 || !string.IsNullOrEmpty(options.ServerName)) && !broker.Value.UseSsl)
        {
            failures.Add("RabbitMq TLS settings are set but RabbitMq:UseSsl is not true, so the connection would not use TLS at all.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
