using Xunit.v3;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>
/// Marks a test class of the real-server tier: it talks to a real RabbitMQ, clamd or S3 server (through
/// <see cref="TestServers"/>). The rest is the fast tier, which starts no server (scripts/test.sh fast) and refuses to
/// (<see cref="TestServers"/> throws there when asked).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RealServersAttribute : Attribute, ITraitAttribute
{
    public const string Trait = "Tier";

    public const string Value = "RealServers";

    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() => [new(Trait, Value)];
}
