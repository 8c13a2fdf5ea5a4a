using ScanWorker.Clamd;
using ScanWorker.Contracts;
using ScanWorker.Scanning;

namespace ScanWorker.Http;

/// <summary>How a scan outcome reads in clamav-rest's vocabulary (status word, description, HTTP code).</summary>
public static class RestVerdicts
{
    public static RestResult From(ClamdScanResult result, ScanOutcome outcome, string? fileName)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(outcome);
        return (outcome.Verdict, result.Reply) switch
        {
            (ScanVerdict.Clean, _) => new RestResult(RestResult.Ok, string.Empty, fileName, 200),
            (ScanVerdict.Infected, _) => new RestResult(RestResult.Found, string.Join(", ", outcome.Signatures), fileName, 406),
            (_, ClamdReply.TooLarge) => RestResult.TooLarge(fileName),
            (_, ClamdReply.LimitsExceeded limits) => new RestResult(RestResult.Error, limits.Signature, fileName, 400),
            (_, ClamdReply.Failed failed) => new RestResult(RestResult.Error, failed.Message, fileName, 400),
            (_, ClamdReply.Unparseable) => new RestResult(RestResult.ParseError, "Regex had no matches", fileName, 412),
            _ when outcome.Reason == ScanErrorReason.StaleSignatures => RestResult.Unavailable(fileName, outcome.Detail),
            _ => new RestResult(RestResult.Error, outcome.Detail, fileName, 503),
        };
    }
}
