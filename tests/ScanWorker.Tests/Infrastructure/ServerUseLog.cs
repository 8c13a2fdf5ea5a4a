using System.Collections.Concurrent;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>
/// Which source each server came from (container, process, or a URL the caller named) and which tests used
/// it: <c>servers.log</c> gets one line per choice as it is made, <c>servers-used.tsv</c> (server, source,
/// test) is written when the run ends. scripts/test.sh prints both, so a CI log says which tests ran on
/// containers and which on processes.
/// </summary>
internal sealed class ServerUseLog(string directory)
{
    private readonly ConcurrentDictionary<(string Server, string Source, string Test), byte> _uses = new();
    private readonly ConcurrentDictionary<string, string> _sources = new();

    public void Chose(string server, string source, string detail)
    {
        _sources[server] = source;
        var line = $"{server}: {source} ({detail})";
        lock (_uses)
        {
            Directory.CreateDirectory(directory);
            File.AppendAllLines(Path.Combine(directory, "servers.log"), [line]);
        }

        Console.Error.WriteLine($"test servers: {line}");
    }

    /// <summary>Records the current test as a user of <paramref name="server"/> once its source is known.</summary>
    public void Used(string server)
    {
        var test = TestContext.Current.Test?.TestDisplayName ?? "(fixture)";
        _uses.TryAdd((server, _sources.GetValueOrDefault(server, "unknown"), test), 0);
    }

    public void Write()
    {
        if (_uses.IsEmpty)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllLines(
            Path.Combine(directory, "servers-used.tsv"),
            _uses.Keys.OrderBy(use => use.Server).ThenBy(use => use.Test, StringComparer.Ordinal)
                .Select(use => $"{use.Server}\t{use.Source}\t{use.Test.Replace('\t', ' ')}"));
    }
}
