using System.Globalization;
using ScanWorker.Diagnostics;

namespace ScanWorker.Clamd;

/// <summary>
/// Logs which clamd and which signatures the worker talks to, once, at start. It does not block
/// start-up: clamd often comes up after the worker (the first signature download takes minutes), and
/// readiness already reports it.
/// </summary>
internal sealed class ClamdStartupProbe(IClamdClient clamd, ILogger<ClamdStartupProbe> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var version = await clamd.GetVersionAsync(stoppingToken);
            logger.ClamdVersionSeen(clamd.Address.ToString(), version.Engine,
                version.SignatureVersion?.ToString(CultureInfo.InvariantCulture) ?? "(not reported: no official database loaded)",
                version.SignatureDate?.ToString("u", CultureInfo.InvariantCulture) ?? "(unknown date)");
        }
        catch (Exception exception) when (exception is ClamdException or TimeoutException)
        {
            logger.ClamdNotReachable(exception.Message);
        }
    }
}
