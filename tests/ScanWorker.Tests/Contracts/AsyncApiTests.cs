using MassTransit;
using ScanWorker.Buckets;
using ScanWorker.Contracts;
using ScanWorker.Messaging;
using ScanWorker.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace ScanWorker.Tests.Contracts;

/// <summary>
/// contracts/asyncapi.yaml against the code (issue 24): its queue and exchange names are the worker's defaults and
/// MassTransit's names for the contract types, its envelopes name MassTransit's message URNs, and every payload it
/// references is a schema in contracts/schemas (and every schema there is referenced).
/// </summary>
public sealed class AsyncApiTests
{
    private static readonly YamlMappingNode Document = Load();

    [Fact]
    public void Queues_and_exchanges_are_the_names_the_worker_uses()
    {
        var messaging = new MessagingOptions();
        var buckets = new BucketEventsOptions();
        Assert.Equal(messaging.ScanRequestsQueue, Address("scanRequests"));
        Assert.Equal(messaging.ScanRequestsQueue, Scalar(Channel("scanRequests"), "bindings", "amqp", "queue", "name"));
        Assert.Equal(buckets.Exchange, Address("bucketEvents"));
        Assert.Equal(buckets.ExchangeType, Scalar(Channel("bucketEvents"), "bindings", "amqp", "exchange", "type"));
        Assert.Equal(buckets.ExchangeDurable.ToString().ToLowerInvariant(), Scalar(Channel("bucketEvents"), "bindings", "amqp", "exchange", "durable"));
        Assert.Equal(buckets.RescanRequestsQueue, Address("rescanRequests"));
        Assert.Equal(ExchangeOf<ScanCompleted>(), Address("scanCompleted"));
        Assert.Equal(ExchangeOf<ScanClean>(), Address("scanClean"));
        Assert.Equal(ExchangeOf<ScanInfected>(), Address("scanInfected"));
        Assert.Equal(ExchangeOf<ScanError>(), Address("scanError"));
        Assert.Equal(ExchangeOf<RescanCompleted>(), Address("rescanCompleted"));
    }

    [Theory]
    [InlineData("ScanClean", typeof(ScanClean))]
    [InlineData("ScanInfected", typeof(ScanInfected))]
    [InlineData("ScanError", typeof(ScanError))]
    public void Result_envelopes_name_the_message_types_MassTransit_writes(string message, Type type)
    {
        var messageType = (YamlSequenceNode)Node(Document, "components", "messages", message, "payload", "properties", "messageType", "const");
        Assert.Equal([MessageUrn.ForTypeString(type), MessageUrn.ForTypeString<ScanCompleted>()],
            messageType.Children.Select(child => ((YamlScalarNode)child).Value));
    }

    [Fact]
    public void Every_payload_is_a_schema_in_contracts_and_every_schema_is_a_payload()
    {
        var referenced = Descendants(Document).OfType<YamlMappingNode>()
            .SelectMany(node => node.Children.Where(entry => ((YamlScalarNode)entry.Key).Value == "$ref"))
            .Select(entry => ((YamlScalarNode)entry.Value).Value!)
            .Where(reference => reference.StartsWith("./", StringComparison.Ordinal))
            .Select(reference => reference[2..])
            .ToHashSet();
        foreach (var reference in referenced)
        {
            Assert.True(File.Exists(RepositoryRoot.Combine("contracts", reference)), $"asyncapi.yaml references {reference}, which does not exist");
        }

        Assert.Equal(ContractSchemas.Messages.Where(type => type != typeof(ScanCompleted)).Select(type => $"schemas/{ContractSchemas.FileName(type)}").Order(),
            referenced.Order());
    }

    private static string ExchangeOf<T>() => MessageUrn.ForTypeString<T>()["urn:message:".Length..];

    private static YamlMappingNode Channel(string name) => (YamlMappingNode)Node(Document, "channels", name);

    private static string? Address(string channel) => Scalar(Channel(channel), "address");

    private static string? Scalar(YamlNode node, params string[] path) => ((YamlScalarNode)Node(node, path)).Value;

    private static YamlNode Node(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }

        return node;
    }

    private static IEnumerable<YamlNode> Descendants(YamlNode node) => node switch
    {
        YamlMappingNode mapping => mapping.Children.Values.SelectMany(Descendants).Prepend(node),
        YamlSequenceNode sequence => sequence.Children.SelectMany(Descendants).Prepend(node),
        _ => [node],
    };

    private static YamlMappingNode Load()
    {
        using var reader = new StreamReader(RepositoryRoot.Combine("contracts", "asyncapi.yaml"));
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
