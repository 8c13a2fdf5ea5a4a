namespace ScanWorker.Tests.Infrastructure;

/// <summary>
/// Tests on the fixture's shared 3-node cluster run one at a time: one of them kills a node, which another,
/// running beside it, would see as a broker it cannot reach.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterTests
{
    public const string Name = "Cluster";
}
