using Microsoft.Extensions.Options;

namespace ScanWorker.Messaging;

/// <summary>Rules for the broker TLS settings: the files exist, certificate and key go together, TLS is on for them.</summary>
internal sealed class BrokerTlsOptionsRules(IOptions<MassTransit.RabbitMqTransportOptions> broker) : IValidateOptions<BrokerTlsOptions>
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
