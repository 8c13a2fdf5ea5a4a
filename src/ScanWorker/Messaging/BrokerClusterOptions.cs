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
