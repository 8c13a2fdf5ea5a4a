using ScanWorker.Clamd;
using ScanWorker.Contracts;
using ScanWorker.Diagnostics;
using ScanWorker.Scanning;

namespace ScanWorker.Http;

/// <summary>
/// Scans one HTTP-supplied stream (an upload part, a body, a file below a scan root) through the shared
/// clamd client and its scan slots, with the same fail-closed verdict rules as the queue.
/// </summary>
public sealed class HttpScanner(
    IClamdClient clamd,
    ClamdVersionCache versions,
    SignatureFreshness freshness,
    ScanWorkerTelemetry telemetry,
    TimeProvider time,
    ILogger<HttpScanner> logger)
{
    public async Task<RestResult> ScanAsync(Stream content, long limit, string? fileName, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        await using var limited = new LimitedStream(content, limit);
        ClamdScanResult result;
        try
        {
            result = await clamd.ScanAsync(limited, cancellationToken);
        }
        catch (UploadTooLargeException)
        {
            return Record(RestResult.TooLarge(fileName), ScanOutcome.Error(ScanErrorReason.TooLarge, "upload over the limit"), started);
        }
        catch (Exception exception) when (exception is ClamdException or ClamdTimeoutException)
        {
            var reason = exception is ClamdTimeoutException ? ScanErrorReason.Timeout : ScanErrorReason.ScannerUnavailable;
            return Record(RestResult.Unavailable(fileName, $"clamd could not scan: {exception.Message}"),
                ScanOutcome.Error(reason, exception.Message, transient: true), started);
        }

        var outcome = VerdictRules.Decide(result, expectedLength: null);
        if (outcome.Verdict == ScanVerdict.Clean)
        {
            outcome = VerdictRules.WithSignatureFreshness(outcome, freshness.Evaluate(await versions.GetAsync(cancellationToken)));
        }

        return Record(RestVerdicts.From(result, outcome, fileName), outcome, started);
    }

    private RestResult Record(RestResult rest, ScanOutcome outcome, long started)
    {
        var elapsed = time.GetElapsedTime(started);
        telemetry.RecordScan("http", outcome, elapsed);
        logger.HttpScanCompleted(rest.FileName ?? "(body)", rest.Status, rest.Description, outcome.ScannedBytes, (long)elapsed.TotalMilliseconds);
        return rest;
    }
}
