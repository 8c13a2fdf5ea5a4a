using ScanWorker.Clamd;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>A clamd to test against; <paramref name="Socket"/> is null when only TCP was named.</summary>
public sealed record ClamdServer(ClamdAddress Tcp, ClamdAddress? Socket, long StreamMaxBytes)
{
    /// <summary>The engine version this clamd reports (VERSION), for tests that check it is passed on, not which it is.</summary>
    public async Task<string> EngineAsync(CancellationToken cancellationToken)
    {
        using var harness = ClamdHarness.For(Tcp);
        return (await harness.Client.GetVersionAsync(cancellationToken)).Engine;
    }
}
