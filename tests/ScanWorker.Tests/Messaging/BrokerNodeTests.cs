using FsCheck;
using FsCheck.Fluent;
using ScanWorker.Messaging;

namespace ScanWorker.Tests.Messaging;

/// <summary>Entries of <c>RabbitMq:Nodes</c>: what is a node, what is refused, and that printing one reads back.</summary>
public sealed class BrokerNodeTests
{
    [Theory]
    [InlineData("rmq-0", "rmq-0", 5672)]
    [InlineData("rmq-0:5673", "rmq-0", 5673)]
    [InlineData("10.0.0.7:15672", "10.0.0.7", 15672)]
    [InlineData("[::1]:5671", "::1", 5671)]
    [InlineData("[fd00::2]", "fd00::2", 5672)]
    [InlineData("b-1234.mq.eu-west-1.amazonaws.com:5671", "b-1234.mq.eu-west-1.amazonaws.com", 5671)]
    public void Hosts_with_and_without_ports_are_nodes(string text, string host, int port)
    {
        Assert.True(BrokerNode.TryParse(text, 5672, out var node));
        Assert.Equal(new BrokerNode(host, (ushort)port), node);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("rmq-0:")]
    [InlineData("rmq-0:0")]
    [InlineData("rmq-0:65536")]
    [InlineData("rmq-0:-1")]
    [InlineData("rmq-0:56 72")]
    [InlineData("::1")]
    [InlineData("[::1")]
    [InlineData("[]:5672")]
    [InlineData("[::1]5672")]
    [InlineData("amqp://rmq-0:5672")]
    [InlineData("guest@rmq-0")]
    [InlineData("rmq-0\n:5672")]
    [InlineData(":5672")]
    public void Anything_else_is_refused(string text) => Assert.False(BrokerNode.TryParse(text, 5672, out _));

    [Fact]
    public void A_printed_node_reads_back_as_itself() =>
        Prop.ForAll(
            Gen.Elements("rmq-0", "b-1.mq.example.net", "10.1.2.3", "::1", "fd00::1:2").ToArbitrary(),
            Gen.Choose(1, 65535).ToArbitrary(),
            (host, port) => BrokerNode.TryParse(new BrokerNode(host, (ushort)port).ToString(), 1, out var back)
                && back == new BrokerNode(host, (ushort)port)).QuickCheckThrowOnFailure();

    [Fact]
    public void The_validator_names_every_bad_entry_by_its_index()
    {
        var options = new BrokerClusterOptions();
        foreach (var node in new[] { "rmq-0:5672", "rmq-1:99999", "rmq-2", "amqp://rmq-3" })
        {
            options.Nodes.Add(node);
        }

        var result = new BrokerClusterOptionsRules(Microsoft.Extensions.Options.Options.Create(new MassTransit.RabbitMqTransportOptions()))
            .Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(["RabbitMq:Nodes:1", "RabbitMq:Nodes:3"], result.Failures!.Select(failure => failure.Split(' ')[0]));
    }
}
