using ScanWorker.Clamd;
using ScanWorker.Diagnostics;
using ScanWorker.Scanning;
using ScanWorker.Sources;

namespace ScanWorker.Http;

/// <summary>A REST scan of one stream: the scan core, then clamav-rest's element for its outcome, counted and logged.</summary>
public sealed class RestScan(ScanCore core, IClamdClient clamd, ScanWorkerTelemetry telemetry, TimeProvider time, ILogger<RestScan> logger)
{
    /// <summary>An upload part or body of unknown (or declared) length, cut at <paramref name="limit"/> bytes.</summary>
    public Task<RestElement> UploadAsync(Stream content, long? declaredLength, long limit, string? fileName,
        CancellationToken cancellationToken) =>
        ScanAsync("upload", _ => Task.FromResult(new SourceContent(
            LengthLimitedStream.PerObject(content, limit, fileName is null ? "the body" : $"'{fileName}'"), declaredLength)),
            fileName, cancellationToken);

    /// <summary>A file below a scan root, already checked; named <paramref name="shownAs"/>.</summary>
    public Task<RestElement> FileAsync(CheckedFile file, string shownAs, long limit, CancellationToken cancellationToken) =>
        ScanAsync("file", _ => Task.FromResult(LocalFile.Open(file, shownAs, limit)), shownAs, cancellationToken);

    private async Task<RestElement> ScanAsync(string source, Func<CancellationToken, Task<SourceContent>> open, string? fileName,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var outcome = await core.ScanAsync(source, open, cancellationToken);
        var rest = RestVerdicts.From(outcome, fileName);
        rest = rest with { Description = PublicText.WithoutClamdAddress(rest.Description, clamd.Address) };
        var elapsed = time.GetElapsedTime(started);
        telemetry.RecordScan("http", outcome, elapsed);
        logger.HttpScanCompleted(rest.FileName ?? "(body)", rest.Status, rest.Description, outcome.ScannedBytes, (long)elapsed.TotalMilliseconds);
        return rest;
    }
}
