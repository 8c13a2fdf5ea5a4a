using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ScanWorker.Diagnostics;

/// <summary>One log line each time readiness changes, naming every failing check and its cause; silent while it holds.</summary>
internal sealed class ReadinessLog(ILogger<ReadinessLog> logger) : IHealthCheckPublisher
{
    private string? _last;

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var failing = string.Join("; ", report.Entries
            .Where(entry => entry.Value.Status != HealthStatus.Healthy)
            .OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => $"{entry.Key}: {entry.Value.Description}"));
        if (failing == _last)
        {
            return Task.CompletedTask;
        }

        var wasReady = _last is null or "";
        _last = failing;
        if (failing.Length > 0)
        {
            logger.NotReady(failing);
        }
        else if (!wasReady)
        {
            logger.ReadyAgain();
        }

        return Task.CompletedTask;
    }
}
