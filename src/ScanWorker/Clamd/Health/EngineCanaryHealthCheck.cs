using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ScanWorker.Clamd;

/// <summary>Ready only once the engine canary has passed, and while it passes.</summary>
internal sealed class EngineCanaryHealthCheck(EngineCanary canary) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(!canary.IsEnabled
            ? HealthCheckResult.Healthy("the engine canary is off (Clamd:Canary:Enabled=false)")
            : canary.Last switch
            {
                null => HealthCheckResult.Unhealthy("the engine canary has not run yet"),
                { Problem: { } problem } => HealthCheckResult.Unhealthy($"engine canary failed: {problem}"),
                var passed => HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture,
                    $"clamd detected every must-detect sample at {passed.At:HH:mm:ss} UTC ({passed.Engine})")),
            });
}
