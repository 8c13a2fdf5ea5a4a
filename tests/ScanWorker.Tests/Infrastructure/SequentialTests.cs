namespace ScanWorker.Tests.Infrastructure;

/// <summary>
/// Tests that measure the whole process (allocations, memory) run alone, after the parallel ones,
/// so other tests' allocations do not land in their numbers.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SequentialTests
{
    public const string Name = "Sequential";
}
