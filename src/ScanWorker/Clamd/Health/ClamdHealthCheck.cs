using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ScanWorker.Clamd;

/// <summary>
/// Ready while the heartbeat finds clamd alive (<see cref="ClamdAvailability"/>). No PING of its own: a probe every few
/// seconds would add load and a second opinion, and the description names the cause without a stack trace.
/// </summary>
internal sealed class ClamdHealthCheck(ClamdAvailability availability, ClamdMonitor monitor, IClamdClient clamd) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(availability.DownReason is { } down
            ? HealthCheckResult.Unhealthy(down)
            : monitor.Current.CheckedAt is null
                ? HealthCheckResult.Unhealthy($"clamd at {clamd.Address} has not been asked yet")
                : HealthCheckResult.Healthy($"clamd at {clamd.Address} answers PING"));
}
