using Amazon.Runtime;
using ScanWorker.Clamd;
using ScanWorker.Contracts;
using ScanWorker.Sources;

namespace ScanWorker.Scanning;

/// <summary>
/// The one path every scan takes, whichever front end asked (queue request, bucket object, REST upload,
/// REST server file): open the source, stream it into clamd, and decide the one outcome. The mapping of
/// source and clamd failures to reasons, the length check, the stale-signature rule and the two trust gates live here
/// only: while clamd is known down nothing waits for it (<see cref="ClamdAvailability"/>), and a clean answer counts
/// only from an engine that passed its canary (<see cref="EngineCanary"/>).
/// </summary>
public sealed class ScanCore(
    IClamdClient clamd,
    ClamdVersionCache versions,
    SignatureFreshness freshness,
    ClamdAvailability availability,
    EngineCanary canary)
{
    /// <summary>
    /// Never throws for a bad target, a missing object or a clamd failure: those are outcomes. The caller's
    /// cancellation surfaces as <see cref="OperationCanceledException"/>; any exception the source throws that
    /// is not a source failure (e.g. the REST facade's whole-request limit) passes through for its caller.
    /// </summary>
    /// <param name="source">Names the source in error details (<c>s3</c>, <c>mount</c>, <c>upload</c>, <c>file</c>).</param>
    /// <param name="open">
    /// Opens the content with its expected length; throws <see cref="ScanSourceException"/> when it cannot. The core
    /// disposes what it returns.
    /// </param>
    /// <param name="cancellationToken">The caller's token; it also reaches the source and clamd.</param>
    public async Task<ScanOutcome> ScanAsync(string source, Func<CancellationToken, Task<SourceContent>> open,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(open);
        var outcome = availability.DownReason is { } down
            ? ScanOutcome.Error(ScanErrorReason.ScannerUnavailable, $"not scanned: {down}", transient: true)
            : await ScanWhileUpAsync(source, open, cancellationToken);
        var engine = await versions.GetAsync(cancellationToken);
        outcome = VerdictRules.WithSignatureFreshness(outcome, freshness.Evaluate(engine)) with { Engine = engine };
        return outcome.Verdict == ScanVerdict.Clean
            ? VerdictRules.WithEngineCanary(outcome, await canary.CheckAsync(engine, cancellationToken))
            : outcome;
    }

    private async Task<ScanOutcome> ScanWhileUpAsync(string source, Func<CancellationToken, Task<SourceContent>> open,
        CancellationToken cancellationToken)
    {
        // A clamd declared down or frozen mid-scan cuts the scan off now, instead of after Clamd:ScanTimeout.
        var declaredDown = availability.DownToken;
        using var scan = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, declaredDown);
        try
        {
            await using var content = await open(scan.Token);
            var result = await clamd.ScanAsync(content.Content, scan.Token);
            return VerdictRules.Decide(result, content.Length);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && declaredDown.IsCancellationRequested)
        {
            // Judged by this scan's own token: clamd may already be back by now, the scan was cut off all the same.
            return ScanOutcome.Error(ScanErrorReason.ScannerUnavailable,
                $"cut off during the scan: {availability.DownReason ?? "clamd was declared down or frozen meanwhile"}", transient: true);
        }
        catch (Exception exception) when (Failed(source, exception, cancellationToken) is { } failed)
        {
            return failed;
        }
    }

    /// <summary>Scans a queued target from its source, with the worker's object limit.</summary>
    public Task<ScanOutcome> ScanAsync(IScanSource source, ScanTarget target, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return ScanAsync(source.Name, token => source.OpenAsync(target, maxBytes, token), cancellationToken);
    }

    /// <summary>The outcome for a failure, or null for one that is not the scan's to decide (cancellation, bugs).</summary>
    internal static ScanOutcome? Failed(string source, Exception exception, CancellationToken cancellationToken) => exception switch
    {
        ScanSourceException failure => ScanOutcome.Error(failure.Reason, failure.Message, failure.Transient),
        ClamdTimeoutException => ScanOutcome.Error(ScanErrorReason.Timeout, exception.Message, transient: true),
        ClamdUnavailableException => ScanOutcome.Error(ScanErrorReason.ScannerUnavailable, exception.Message, transient: true),
        ClamdException => ScanOutcome.Error(ScanErrorReason.ScannerError, exception.Message, transient: true),
        _ when cancellationToken.IsCancellationRequested => null,
        // The clamd client passes source read failures through unchanged: the download or upload broke mid-stream.
        IOException or HttpRequestException or AmazonClientException => ScanOutcome.Error(ScanErrorReason.SourceUnavailable,
            $"reading the {source} content failed: {exception.Message}", transient: true),
        _ => null,
    };
}
