using Amazon.Runtime;
using Microsoft.Extensions.Options;
using ScanWorker.Clamd;
using ScanWorker.Contracts;
using ScanWorker.Sources;

namespace ScanWorker.Scanning;

/// <inheritdoc />
public sealed class Scanner(
    S3ScanSource s3,
    MountScanSource mount,
    IClamdClient clamd,
    ClamdVersionCache versions,
    SignatureFreshness freshness,
    IOptions<ScanningOptions> options) : IScanner
{
    public async Task<ScanOutcome> ScanAsync(ScanTarget target, CancellationToken cancellationToken)
    {
        var kind = ScanTargetRules.Classify(target, out var problem);
        if (kind is null)
        {
            return ScanOutcome.Error(ScanErrorReason.InvalidRequest, problem ?? "invalid target");
        }

        IScanSource source = kind == ScanTargetKind.S3 ? s3 : mount;
        var outcome = await ScanFromAsync(source, target, cancellationToken);
        var engine = await versions.GetAsync(cancellationToken);
        return VerdictRules.WithSignatureFreshness(outcome, freshness.Evaluate(engine)) with { Engine = engine };
    }

    private async Task<ScanOutcome> ScanFromAsync(IScanSource source, ScanTarget target, CancellationToken cancellationToken)
    {
        try
        {
            await using var content = await source.OpenAsync(target, options.Value.MaxObjectBytes, cancellationToken);
            var result = await clamd.ScanAsync(content.Content, cancellationToken);
            return VerdictRules.Decide(result, content.Length);
        }
        catch (ScanSourceException exception)
        {
            return ScanOutcome.Error(exception.Reason, exception.Message, exception.Transient);
        }
        catch (ClamdUnavailableException exception)
        {
            return ScanOutcome.Error(ScanErrorReason.ScannerUnavailable, exception.Message, transient: true);
        }
        catch (ClamdProtocolException exception)
        {
            return ScanOutcome.Error(ScanErrorReason.ScannerError, exception.Message, transient: true);
        }
        catch (ClamdTimeoutException exception)
        {
            return ScanOutcome.Error(ScanErrorReason.Timeout, exception.Message, transient: true);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested
            && exception is IOException or HttpRequestException or AmazonClientException)
        {
            // The clamd client passes source read failures through unchanged: the download broke mid-stream.
            return ScanOutcome.Error(ScanErrorReason.SourceUnavailable, $"reading the {source.Name} object failed: {exception.Message}",
                transient: true);
        }
    }
}
