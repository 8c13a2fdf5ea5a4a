using System.Reflection;

namespace ScanWorker.Diagnostics;

/// <summary>What is running: the worker's own version as the build stamped it (version+commit).</summary>
public static class BuildInfo
{
    /// <summary>The response header that carries <see cref="Version"/> on <c>/version</c> and <c>/health/*</c> (their bodies keep their shapes).</summary>
    public const string Header = "X-ScanWorker-Version";

    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(BuildInfo).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
