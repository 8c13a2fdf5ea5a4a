using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using ScanWorker.Clamd;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Hosting;

/// <summary>The clamd readiness check reads the heartbeat's verdict: one line naming the cause, no exception attached.</summary>
[RealServers]
public sealed class ClamdHealthCheckTests(TestServers servers)
{
    [Fact(Timeout = 60_000)]
    public async Task A_clamd_that_answers_PING_is_healthy()
    {
        var (status, description, exception) = await CheckAfterOneHeartbeatAsync((await servers.ClamdAsync()).Tcp);

        Assert.Equal(HealthStatus.Healthy, status);
        Assert.Contains("answers PING", description, StringComparison.Ordinal);
        Assert.Null(exception);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_clamd_that_is_down_is_unhealthy_says_where_and_why_and_carries_no_stack()
    {
        var address = ClamdAddress.Tcp("127.0.0.1", FreePort.Next());

        var (status, description, exception) = await CheckAfterOneHeartbeatAsync(address);

        Assert.Equal(HealthStatus.Unhealthy, status);
        Assert.Contains($"clamd at {address} refuses connections", description, StringComparison.Ordinal);
        Assert.Null(exception);
    }

    private static async Task<(HealthStatus Status, string? Description, Exception? Exception)> CheckAfterOneHeartbeatAsync(ClamdAddress address)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Clamd:Address"] = address.ToString() });
        builder.AddClamd();
        using var host = builder.Build();

        await host.Services.GetRequiredService<ClamdMonitor>().HeartbeatAsync(TestContext.Current.CancellationToken);
        var report = await host.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Name == "clamd", TestContext.Current.CancellationToken);
        var entry = report.Entries["clamd"];
        return (entry.Status, entry.Description, entry.Exception);
    }
}
