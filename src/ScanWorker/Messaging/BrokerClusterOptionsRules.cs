using Microsoft.Extensions.Options;

namespace ScanWorker.Messaging;

/// <summary>Rules for RabbitMq:Nodes: every entry is a node.</summary>
internal sealed class BrokerClusterOptionsRules(IOptions<MassTransit.RabbitMqTransportOptions> broker) : IValidateOptions<BrokerClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, BrokerClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bad = options.Nodes.Select((node, index) => (node, index))
            .Where(entry => !BrokerNode.TryParse(entry.node, broker.Value.Port, out _))
            .Select(entry => $"RabbitMq:Nodes:{entry.index} = '{entry.node}' is not host, host:port or [v6-address]:port")
            .ToList();
        return bad.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(bad);
    }
}
