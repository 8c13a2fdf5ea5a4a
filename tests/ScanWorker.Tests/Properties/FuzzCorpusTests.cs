extern alias Fuzz;

using Fuzz::ScanWorker.Fuzz;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Properties;

/// <summary>
/// Every input in fuzz/corpus and every crash AFL ever found (fuzz/crashes, kept in the repository) through its
/// fuzz target: a crash found once is a regression test from then on.
/// </summary>
public sealed class FuzzCorpusTests
{
    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in new[] { "corpus", "crashes" })
        {
            var root = RepositoryRoot.Combine("fuzz", folder);
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(Path.GetDirectoryName(file)!), Path.GetRelativePath(RepositoryRoot.Path, file));
            }
        }

        return data;
    }

    [Fact]
    public void Every_target_has_a_corpus() =>
        Assert.All(FuzzTargets.All.Keys, target => Assert.NotEmpty(Directory.EnumerateFiles(RepositoryRoot.Combine("fuzz", "corpus", target))));

    [Theory]
    [MemberData(nameof(Inputs))]
    public void The_input_is_handled_without_an_unexpected_exception(string target, string file)
    {
        var run = FuzzTargets.All[target];

        var failure = Record.Exception(() => run(File.ReadAllBytes(RepositoryRoot.Combine(file))));

        Assert.Null(failure);
    }
}
