using ScanWorker.Contracts;
using ScanWorker.Diagnostics;

namespace ScanWorker.Scanning;

/// <summary>How a finished scan is counted, whichever front end ran it.</summary>
public static class ScanTelemetry
{
    public static void RecordScan(this ScanWorkerTelemetry telemetry, string source, ScanOutcome outcome, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(outcome);
        var result = outcome.ResultLabel;
        telemetry.Scans.Add(1, source, result);
        telemetry.ScannedBytes.Add(outcome.ScannedBytes, source);
        telemetry.ScanDuration.Record(elapsed.TotalSeconds, source, result);
        if (outcome.Verdict == ScanVerdict.Infected)
        {
            telemetry.FoundViruses.Add(1);
        }

        if (outcome.Reason is { } reason)
        {
            telemetry.ScanErrors.Add(1, reason.ToString());
            if (reason == ScanErrorReason.ScannerUnavailable)
            {
                telemetry.ClamdConnectionFailures.Add(1);
            }
        }
    }
}
