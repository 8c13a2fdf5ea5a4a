using System.Text.RegularExpressions;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Hosting;

/// <summary>
/// The folders of src/ScanWorker depend one way: each may use only the folders below it in <see cref="Layers"/>, so a
/// reader follows a path folder by folder without coming back.
/// </summary>
public sealed partial class FolderDependencyTests
{
    /// <summary>Bottom first. A folder may use any folder before it in this list, none after it.</summary>
    private static readonly string[] Layers =
        ["Diagnostics", "Sources", "Clamd", "Scanning", "Messaging", "Requests", "Buckets", "Http", "Hosting"];

    [Fact]
    public void Every_folder_uses_only_the_folders_below_it()
    {
        var source = RepositoryRoot.Combine("src", "ScanWorker");
        var folders = Directory.GetDirectories(source).Select(Path.GetFileName).Where(name => name is not ("bin" or "obj")).ToList();
        Assert.Equal(folders.Order(StringComparer.Ordinal), Layers.Order(StringComparer.Ordinal));

        var upward = new List<string>();
        foreach (var folder in Layers)
        {
            var allowed = Layers.TakeWhile(layer => layer != folder).ToHashSet(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(source, folder), "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match match in FolderReference().Matches(File.ReadAllText(file)))
                {
                    var used = match.Groups["folder"].Value;
                    if (used != folder && Layers.Contains(used) && !allowed.Contains(used))
                    {
                        upward.Add($"{folder}/{Path.GetFileName(file)} uses {used}");
                    }
                }
            }
        }

        Assert.Empty(upward);
    }

    [GeneratedRegex(@"\bScanWorker\.(?<folder>[A-Z][A-Za-z]+)\b")]
    private static partial Regex FolderReference();
}
