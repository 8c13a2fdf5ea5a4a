using Microsoft.Extensions.Options;

namespace ScanWorker.Messaging;

/// <summary>
/// The broker nodes of a RabbitMQ cluster, section <c>RabbitMq</c> beside MassTransit's own keys:
/// <c>RabbitMq__Nodes__0=rmq-0:5672</c>, <c>RabbitMq__Nodes__1=rmq-1:5672</c>, ... When set, the worker connects to
/// the first node that answers and, when its node dies, reconnects to a surviving one; <c>RabbitMq:Host</c> is then
/// not used. Unset: the one broker of <c>RabbitMq:Host</c>/<c>Port</c>.
/// </summary>
public sealed class BrokerClusterOptions
{
    public IList<string> Nodes { get; } = [];
}

internal sealed class BrokerClusterOptionsValidator(IOptions<MassTransit.RabbitMqTransportOptions> broker) : IValidateOptions<BrokerClusterOptions>
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
