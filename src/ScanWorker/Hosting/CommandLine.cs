using System.Text;
using ScanWorker.Diagnostics;

namespace ScanWorker.Hosting;

/// <summary>
/// The two arguments a newcomer tries before reading anything: <c>--version</c> prints the version the build stamped
/// (MinVer, from the git tag) and <c>--help</c> the settings each deployment shape needs, taken from
/// docs/configuration.md (embedded at build time, so the help cannot drift from the documentation). Anything else is
/// left to .NET's configuration (<c>--Section:Key=value</c>).
/// </summary>
public static class CommandLine
{
    private const string ConfigurationDoc = "ScanWorker.docs.configuration.md";

    /// <summary>The exit code when an argument was handled here, or null to start the worker.</summary>
    public static int? Handle(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Any(arg => arg is "--version" or "-V"))
        {
            output.WriteLine($"ScanWorker {BuildInfo.Version}");
            return 0;
        }

        if (args.Any(arg => arg is "--help" or "-h" or "-?"))
        {
            output.Write(Help());
            return 0;
        }

        return null;
    }

    /// <summary>The help text: usage, then every shape block of docs/configuration.md as it stands there.</summary>
    public static string Help()
    {
        var text = new StringBuilder()
            .AppendLine($"ScanWorker {BuildInfo.Version}: clamd scans for RabbitMQ requests, bucket notifications and the clamav-rest API.")
            .AppendLine()
            .AppendLine("usage: dotnet ScanWorker.dll [--help | --version]")
            .AppendLine("Settings are environment variables (Section__Key) or appsettings.json; every section is validated at start-up.")
            .AppendLine("What each deployment shape needs (docs/configuration.md; every key there, with its default):")
            .AppendLine();
        foreach (var block in ShapeBlocks())
        {
            text.AppendLine(block).AppendLine();
        }

        return text.ToString();
    }

    /// <summary>The <c>```sh</c> blocks of docs/configuration.md that start with <c># shape:</c>.</summary>
    public static IReadOnlyList<string> ShapeBlocks()
    {
        using var doc = typeof(CommandLine).Assembly.GetManifestResourceStream(ConfigurationDoc)
            ?? throw new InvalidOperationException($"the build did not embed {ConfigurationDoc}");
        using var reader = new StreamReader(doc);
        var blocks = new List<string>();
        StringBuilder? block = null;
        while (reader.ReadLine() is { } line)
        {
            if (block is null)
            {
                block = line == "```sh" ? new StringBuilder() : null;
                continue;
            }

            if (line == "```")
            {
                var text = block.ToString().TrimEnd();
                if (text.StartsWith("# shape:", StringComparison.Ordinal))
                {
                    blocks.Add(text);
                }

                block = null;
                continue;
            }

            block.AppendLine(line);
        }

        return blocks;
    }
}
