using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ScanWorker.Clamd;

/// <summary>Ready only while the signatures are within Clamd:MaxSignatureAge (when it is set).</summary>
internal sealed class SignatureFreshnessHealthCheck(ClamdVersionCache versions, SignatureFreshness freshness) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!freshness.IsEnabled)
        {
            return HealthCheckResult.Healthy("signature age is not checked (Clamd:MaxSignatureAge unset)");
        }

        var version = await versions.GetAsync(cancellationToken);
        return freshness.Evaluate(version) is { } problem
            ? HealthCheckResult.Unhealthy(problem)
            : HealthCheckResult.Healthy($"signatures {version?.SignatureVersion} of {version?.SignatureDate:u}");
    }
}
