using ScanWorker.Clamd;
using ScanWorker.Contracts;
using ScanWorker.Scanning;

namespace ScanWorker.Http;

/// <summary>How a scan outcome reads in clamav-rest's vocabulary (status word, description, HTTP code): a pure function of it.</summary>
public static class RestVerdicts
{
    public static RestElement From(ScanOutcome outcome, string? fileName)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return (outcome.Verdict, outcome.Reason, outcome.Reply) switch
        {
            (ScanVerdict.Clean, _, _) => new RestElement(RestElement.Ok, string.Empty, fileName, 200),
            (ScanVerdict.Infected, _, _) => new RestElement(RestElement.Found, string.Join(", ", outcome.Signatures), fileName, 406),
            (_, ScanErrorReason.TooLarge, _) => RestElement.TooLarge(fileName),
            (_, ScanErrorReason.LimitsExceeded, ClamdReply.LimitsExceeded limits) => new RestElement(RestElement.Error, limits.Signature, fileName, 400),
            (_, ScanErrorReason.ScannerError, ClamdReply.Failed failed) => new RestElement(RestElement.Error, failed.Message, fileName, 400),
            (_, ScanErrorReason.ScannerError, ClamdReply.Unparseable) => new RestElement(RestElement.ParseError, "Regex had no matches", fileName, 412),
            (_, ScanErrorReason.InvalidRequest or ScanErrorReason.LimitsExceeded, _) => new RestElement(RestElement.Error, outcome.Detail, fileName, 400),
            // A server file that vanished, cannot be read, or changed while it was read (a short read): not scanned.
            (_, ScanErrorReason.NotFound or ScanErrorReason.AccessDenied or ScanErrorReason.Changed or ScanErrorReason.SourceUnavailable, _) =>
                new RestElement(RestElement.Error, $"cannot be read: {outcome.Detail}", fileName, 412),
            // Stale signatures, or a clean answer from an engine that failed its canary: clamd answered, but not trustworthily.
            (_, ScanErrorReason.StaleSignatures, _) or (_, ScanErrorReason.ScannerError, ClamdReply.Clean) =>
                RestElement.Unavailable(fileName, outcome.Detail),
            // clamd unreachable, timed out, or broke the protocol: nothing trustworthy was said.
            _ => RestElement.Unavailable(fileName, $"clamd could not scan: {outcome.Detail}"),
        };
    }
}
