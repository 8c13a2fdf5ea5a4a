namespace ScanWorker.Tests.Infrastructure;

/// <summary>Where the fixture takes its servers from: <c>SCANWORKER_TEST_SERVERS=auto|containers|processes</c>.</summary>
public enum ServerMode
{
    /// <summary>Containers when an engine answers, the local-process scripts otherwise.</summary>
    Auto,

    /// <summary>Containers, and fail loudly when no engine answers.</summary>
    Containers,

    /// <summary>The project's scripts in scripts/servers, as local processes.</summary>
    Processes,
}

internal static class ServerModes
{
    public const string Variable = "SCANWORKER_TEST_SERVERS";

    public static ServerMode FromEnvironment() => Parse(Environment.GetEnvironmentVariable(Variable));

    public static ServerMode Parse(string? value) => value switch
    {
        null or "" or "auto" => ServerMode.Auto,
        "containers" => ServerMode.Containers,
        "processes" => ServerMode.Processes,
        var other => throw new InvalidOperationException($"{Variable}={other}: expected auto, containers or processes"),
    };
}
