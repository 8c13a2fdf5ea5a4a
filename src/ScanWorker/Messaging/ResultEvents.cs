using ScanWorker.Contracts;
using ScanWorker.Scanning;

namespace ScanWorker.Messaging;

/// <summary>Turns an outcome into the one result event the contract defines for it.</summary>
public static class ResultEvents
{
    public static ScanCompleted Create(ScanRequested request, ScanOutcome outcome, DateTimeOffset completedAt, long elapsedMs)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(outcome);
        var target = request.Target ?? new ScanTarget();
        var metadata = request.Metadata;
        var engine = outcome.Engine;
        return outcome.Verdict switch
        {
            ScanVerdict.Clean => new ScanClean
            {
                ScanId = request.ScanId, Target = target, Metadata = metadata, CompletedAt = completedAt, ElapsedMs = elapsedMs,
                ScannedBytes = outcome.ScannedBytes, Sha256 = outcome.Sha256,
                ClamAvVersion = engine?.Engine, SignatureVersion = engine?.SignatureVersion, SignatureDate = engine?.SignatureDate,
            },
            ScanVerdict.Infected => new ScanInfected
            {
                ScanId = request.ScanId, Target = target, Metadata = metadata, CompletedAt = completedAt, ElapsedMs = elapsedMs,
                ScannedBytes = outcome.ScannedBytes, Sha256 = outcome.Sha256,
                ClamAvVersion = engine?.Engine, SignatureVersion = engine?.SignatureVersion, SignatureDate = engine?.SignatureDate,
                Signatures = outcome.Signatures,
            },
            _ => new ScanError
            {
                ScanId = request.ScanId, Target = target, Metadata = metadata, CompletedAt = completedAt, ElapsedMs = elapsedMs,
                ScannedBytes = outcome.ScannedBytes, Sha256 = outcome.Sha256,
                ClamAvVersion = engine?.Engine, SignatureVersion = engine?.SignatureVersion, SignatureDate = engine?.SignatureDate,
                Reason = outcome.Reason ?? ScanErrorReason.ScannerError, Detail = outcome.Detail, Transient = outcome.Transient,
            },
        };
    }
}
