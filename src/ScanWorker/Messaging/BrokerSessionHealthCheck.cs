using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ScanWorker.Messaging;

/// <summary>Names the broker session's real cause (MassTransit's own check says only "Broker unreachable").</summary>
internal sealed class BrokerSessionHealthCheck(BrokerSession session) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(session.Problem is { } problem
            ? HealthCheckResult.Unhealthy(problem)
            : HealthCheckResult.Healthy("no broker failure since the last connection"));
}
