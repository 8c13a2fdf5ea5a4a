using System.Globalization;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>The fixture's 3-node RabbitMQ cluster: its nodes, and the faults a test may cause on them.</summary>
public sealed class RabbitMqCluster
{
    public const int Size = 3;

    private readonly Dictionary<string, string> _knobs;
    private readonly TimeSpan _timeout;

    internal RabbitMqCluster(Dictionary<string, string> knobs, TimeSpan timeout)
    {
        _knobs = knobs;
        _timeout = timeout;
        var first = int.Parse(knobs["RMQC_PORT"], CultureInfo.InvariantCulture);
        Nodes = [.. Enumerable.Range(0, Size).Select(index => new RabbitMqServer(new Uri($"amqp://guest:guest@127.0.0.1:{first + index}/")))];
    }

    public IReadOnlyList<RabbitMqServer> Nodes { get; }

    /// <summary><c>RabbitMq:Nodes:N</c> settings naming every node, in order.</summary>
    public IEnumerable<KeyValuePair<string, string?>> NodeSettings() =>
        Nodes.Select((node, index) => KeyValuePair.Create($"RabbitMq:Nodes:{index}", (string?)$"{node.Amqp.Host}:{node.Amqp.Port}"));

    /// <summary>SIGKILL: the node gets no chance to shut down cleanly.</summary>
    public Task KillAsync(int node) => ServerScript.RunAsync("rabbitmq-cluster.sh", "kill", _knobs, _timeout, node.ToString(CultureInfo.InvariantCulture));

    public Task StartAsync(int node) => ServerScript.RunAsync("rabbitmq-cluster.sh", "start-node", _knobs, _timeout, node.ToString(CultureInfo.InvariantCulture));
}
