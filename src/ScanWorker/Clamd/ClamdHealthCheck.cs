using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ScanWorker.Clamd;

/// <summary>Ready when clamd answers PING within a short time.</summary>
internal sealed class ClamdHealthCheck(IClamdClient clamd) : IHealthCheck
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PingTimeout);
        try
        {
            await clamd.PingAsync(timeout.Token);
            return HealthCheckResult.Healthy($"clamd at {clamd.Address} answered PING");
        }
        catch (Exception exception) when (ClamdFailure.Is(exception, cancellationToken))
        {
            return HealthCheckResult.Unhealthy($"clamd at {clamd.Address} did not answer PING within {PingTimeout.TotalSeconds:0}s",
                exception);
        }
    }
}
