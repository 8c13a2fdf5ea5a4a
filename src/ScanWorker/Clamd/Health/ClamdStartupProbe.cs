using System.Globalization;
using Microsoft.Extensions.Options;
using ScanWorker.Diagnostics;

namespace ScanWorker.Clamd;

/// <summary>
/// At start (hosted services start before Kestrel and before MassTransit consumes), asks clamd for its
/// capacity (STATS) and version, so the scan slots are sized before the first scan when clamd answers in
/// time (otherwise the first scan sizes them), and the log says which engine and signatures are in use. Bounded by
/// <see cref="ClamdOptions.StartupProbeTimeout"/>: clamd often comes up after the worker (the first
/// signature download takes minutes), and readiness reports it until then.
/// </summary>
internal sealed class ClamdStartupProbe(IClamdClient clamd, EngineCanary canary, IOptions<ClamdOptions> options, ILogger<ClamdStartupProbe> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!canary.IsEnabled)
        {
            logger.EngineCanaryOff();
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.StartupProbeTimeout);
        try
        {
            await clamd.GetScanCapacityAsync(timeout.Token);
            var version = await clamd.GetVersionAsync(timeout.Token);
            logger.ClamdVersionSeen(clamd.Address.ToString(), version.Engine,
                version.SignatureVersion?.ToString(CultureInfo.InvariantCulture) ?? "(not reported: no official database loaded)",
                version.SignatureDate?.ToString("u", CultureInfo.InvariantCulture) ?? "(unknown date)");
        }
        catch (Exception exception) when (ClamdFailure.Is(exception, cancellationToken))
        {
            // Debug only: the heartbeat's "clamd is down" (ClamdMonitor) says it once, with the same cause.
            logger.ClamdNotReachable(exception.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
