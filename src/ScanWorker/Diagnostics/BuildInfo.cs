using System.Reflection;

namespace ScanWorker.Diagnostics;

/// <summary>What is running: the worker's own version as the build stamped it (version+commit).</summary>
public static class BuildInfo
{
    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(BuildInfo).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
