using ScanWorker.Clamd;
using ScanWorker.Contracts;

namespace ScanWorker.Scanning;

/// <summary>
/// The fail-closed rules, in one place: clean only when clamd said OK for a stream that carried the
/// whole object; a limit heuristic is not a detection but content that was not scanned.
/// </summary>
public static class VerdictRules
{
    public static ScanOutcome Decide(ClamdAnswer result, long? expectedLength)
    {
        ArgumentNullException.ThrowIfNull(result);
        var outcome = result.Reply switch
        {
            ClamdReply.Clean when !result.StreamCompleted =>
                ScanOutcome.Error(ScanErrorReason.ScannerError, "clamd answered OK but the stream was not complete", transient: true),
            ClamdReply.Clean when expectedLength is { } length && length != result.BytesSent =>
                ScanOutcome.Error(ScanErrorReason.SourceUnavailable,
                    $"the source announced {length} bytes but delivered {result.BytesSent}", transient: true),
            ClamdReply.Clean => new ScanOutcome { Verdict = ScanVerdict.Clean, Detail = "clean" },
            ClamdReply.Infected infected => new ScanOutcome
            {
                Verdict = ScanVerdict.Infected,
                Signatures = infected.Signatures,
                Detail = string.Join(", ", infected.Signatures),
            },
            ClamdReply.LimitsExceeded limits => ScanOutcome.Error(ScanErrorReason.LimitsExceeded,
                $"clamd did not scan all of the content: {limits.Signature}"),
            ClamdReply.TooLarge => ScanOutcome.Error(ScanErrorReason.TooLarge,
                $"the object passed clamd's StreamMaxLength after {result.BytesSent} bytes"),
            // clamd's own errors are mostly resources (temp file, memory): worth a retry.
            ClamdReply.Failed failed => ScanOutcome.Error(ScanErrorReason.ScannerError, $"clamd: {failed.Message}", transient: true),
            _ => ScanOutcome.Error(ScanErrorReason.ScannerError, $"clamd's answer was not understood: '{result.Reply.Raw}'"),
        };
        return outcome with
        {
            Reply = result.Reply,
            ScannedBytes = result.BytesSent,
            Sha256 = result.StreamCompleted && (expectedLength is null || expectedLength == result.BytesSent) ? result.Sha256 : null,
        };
    }

    /// <summary>
    /// A clean answer from stale signatures is not trusted (<paramref name="staleProblem"/> says why they are stale);
    /// an infected one stays infected whatever their age.
    /// </summary>
    public static ScanOutcome WithSignatureFreshness(ScanOutcome outcome, string? staleProblem)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Verdict == ScanVerdict.Clean && staleProblem is not null
            ? Untrusted(outcome, ScanErrorReason.StaleSignatures, staleProblem)
            : outcome;
    }

    /// <summary>
    /// A clean answer from an engine that failed its canary (<paramref name="canaryProblem"/> says how) is not trusted: it
    /// becomes a transient scanner error. An infected answer stays infected: the engine found something real.
    /// </summary>
    public static ScanOutcome WithEngineCanary(ScanOutcome outcome, string? canaryProblem)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Verdict == ScanVerdict.Clean && canaryProblem is not null
            ? Untrusted(outcome, ScanErrorReason.ScannerError,
                $"clamd answered OK, but its engine canary failed, so the answer is not trusted: {canaryProblem}")
            : outcome;
    }

    /// <summary>A clean answer that may not be trusted: a transient error, keeping what was scanned and what clamd said.</summary>
    private static ScanOutcome Untrusted(ScanOutcome clean, ScanErrorReason reason, string detail) =>
        ScanOutcome.Error(reason, detail, transient: true) with
        {
            ScannedBytes = clean.ScannedBytes,
            Sha256 = clean.Sha256,
            Engine = clean.Engine,
            Reply = clean.Reply,
        };
}
