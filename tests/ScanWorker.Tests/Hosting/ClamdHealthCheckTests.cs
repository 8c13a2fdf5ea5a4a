using Microsoft.Extensions.Diagnostics.HealthChecks;
using ScanWorker.Clamd;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Hosting;

public sealed class ClamdHealthCheckTests(TestServers servers)
{
    [Fact(Timeout = 60_000)]
    public async Task A_clamd_that_answers_PING_is_healthy()
    {
        using var clamd = ClamdHarness.For((await servers.ClamdAsync()).Tcp);

        var result = await new ClamdHealthCheck(clamd.Client).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_clamd_that_is_down_is_unhealthy_and_says_where()
    {
        var address = ClamdAddress.Tcp("127.0.0.1", FreePort.Next());
        using var clamd = ClamdHarness.For(address);

        var result = await new ClamdHealthCheck(clamd.Client).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains(address.ToString(), result.Description, StringComparison.Ordinal);
        Assert.IsType<ClamdUnavailableException>(result.Exception);
    }
}
