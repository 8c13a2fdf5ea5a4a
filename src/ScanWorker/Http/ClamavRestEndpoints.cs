using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ScanWorker.Clamd;
using ScanWorker.Diagnostics;
using ScanWorker.Scanning;
using ScanWorker.Sources;

namespace ScanWorker.Http;

/// <summary>The REST API of clamav-rest, served by the worker (see README, "REST facade").</summary>
public static class ClamavRestEndpoints
{
    public const string JsonContentType = "application/json; charset=utf-8";

    // JSON responses are never embedded in HTML; keep apostrophes in messages as they are.
    internal static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = null, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static WebApplication MapClamavRestEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var scans = app.MapGroup(string.Empty);
        scans.AddEndpointFilter<ApiKeyFilter>();
        scans.WithRequestTimeout(HttpBuilderExtensions.ScanTimeoutPolicy);
        scans.MapPost("/v2/scan", ScanV2Async);
        scans.MapPost("/scan", ScanV1Async);
        scans.MapPost("/scanHandlerBody", ScanBodyAsync);
        scans.MapMethods("/scanFile", GetAndHead, ScanFileAsync);
        scans.MapMethods("/scanPath", GetAndHead, ScanPathAsync);
        app.MapMethods("/version", GetAndHead, VersionAsync);
        app.MapMethods("/", GetAndHead, StatsAsync);
        return app;
    }

    private static async Task<IResult> ScanV2Async(HttpContext context, HttpScanner scanner, IOptions<HttpOptions> http,
        IOptions<ScanningOptions> scanning)
    {
        if (RefuseDeclaredLength(context, http.Value, scanning.Value, multipart: true) is { } tooLarge)
        {
            return tooLarge;
        }

        var (results, problem) = await UploadScanning.ScanPartsAsync(context.Request, scanner, Limit(http.Value, scanning.Value),
            reportNamelessParts: true, context.RequestAborted);
        return results is null
            ? BadRequest(problem!)
            : Results.Json(results, Json, JsonContentType, StatusAggregation.Aggregate(results));
    }

    private static async Task<IResult> ScanV1Async(HttpContext context, HttpScanner scanner, ScanWorkerTelemetry telemetry,
        IOptions<HttpOptions> http, IOptions<ScanningOptions> scanning)
    {
        telemetry.DeprecatedScanEndpointHit();
        context.Response.Headers["Deprecation"] = "version=v1";
        // clamav-rest's exact header: the request's Host, no scheme, no angle brackets.
        context.Response.Headers["Link"] = $"{context.Request.Host}/v2/scan; rel=successor-version";
        if (RefuseDeclaredLength(context, http.Value, scanning.Value, multipart: true) is { } tooLarge)
        {
            return tooLarge;
        }

        var (results, problem) = await UploadScanning.ScanPartsAsync(context.Request, scanner, Limit(http.Value, scanning.Value),
            reportNamelessParts: false, context.RequestAborted);
        if (results is null)
        {
            return BadRequest(problem!);
        }

        if (results.Count == 0)
        {
            return Results.StatusCode(200);
        }

        // v1 writes bare objects one after another, without FileName and without separators.
        var body = string.Concat(results.Select(result => JsonSerializer.Serialize(result with { FileName = null }, Json)));
        return Results.Text(body, JsonContentType, Encoding.UTF8, StatusAggregation.Aggregate(results));
    }

    private static async Task<IResult> ScanBodyAsync(HttpContext context, HttpScanner scanner, IOptions<HttpOptions> http,
        IOptions<ScanningOptions> scanning)
    {
        if (RefuseDeclaredLength(context, http.Value, scanning.Value, multipart: false) is { } tooLarge)
        {
            return tooLarge;
        }

        var result = await scanner.ScanAsync(context.Request.Body, Limit(http.Value, scanning.Value), fileName: null, context.RequestAborted);
        if (result.HttpStatus is 413 or 503)
        {
            return Results.Json(result, Json, JsonContentType, result.HttpStatus);
        }

        // clamav-rest prints its internal struct with Go's %v: {Status Description FileName code}.
        return Results.Text($"{{{result.Status} {result.Description} {result.FileName} {result.HttpStatus}}}", JsonContentType, Encoding.UTF8,
            result.HttpStatus);
    }

    private static async Task<IResult> ScanFileAsync(string? path, HttpContext context, HttpScanner scanner, ScanRoots roots,
        IOptions<HttpOptions> http, IOptions<ScanningOptions> scanning)
    {
        if (string.IsNullOrEmpty(path))
        {
            return Results.Text("URL param 'path' is missing", "text/plain; charset=utf-8", Encoding.UTF8, 400);
        }

        var (verdict, real) = roots.Resolve(path);
        var refused = Refuse(verdict, path, allowDirectory: false);
        if (refused is not null)
        {
            return refused;
        }

        var result = await ScanServerFileAsync(real!, path, scanner, Limit(http.Value, scanning.Value), context.RequestAborted);
        return Results.Json(result, Json, JsonContentType, result.HttpStatus);
    }

    private static async Task<IResult> ScanPathAsync(string? path, HttpContext context, HttpScanner scanner, ScanRoots roots,
        IOptions<HttpOptions> http, IOptions<ScanningOptions> scanning)
    {
        if (string.IsNullOrEmpty(path))
        {
            return Results.Text("URL param 'path' is missing", "text/plain; charset=utf-8", Encoding.UTF8, 400);
        }

        var (verdict, real) = roots.Resolve(path);
        var refused = Refuse(verdict, path, allowDirectory: true);
        if (refused is not null)
        {
            return refused;
        }

        var limit = Limit(http.Value, scanning.Value);
        var results = new List<RestResult>();
        IEnumerable<string> files = verdict == ScanRoots.Verdict.File
            ? [real!]
            : Directory.EnumerateFiles(real!, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            // Every entry is resolved again: a symlink inside the tree may point anywhere.
            var (kind, resolved) = roots.Resolve(file);
            results.Add(kind switch
            {
                ScanRoots.Verdict.File => await ScanServerFileAsync(resolved!, file, scanner, limit, context.RequestAborted),
                ScanRoots.Verdict.Forbidden => new RestResult(RestResult.Error, "resolves outside the scan roots; not scanned", file, 403),
                _ => new RestResult(RestResult.Error, "not a regular file; not scanned", file, 400),
            });
        }

        return Results.Json(results, Json, JsonContentType, StatusAggregation.Aggregate(results));
    }

    private static async Task<RestResult> ScanServerFileAsync(string realPath, string shownAs, HttpScanner scanner, long limit,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var file = MountScanSource.OpenForScan(realPath);
            return await scanner.ScanAsync(file, limit, shownAs, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException && !cancellationToken.IsCancellationRequested)
        {
            // Gone or unreadable between the check and the read.
            return new RestResult(RestResult.Error, $"cannot be read: {exception.Message}", shownAs, 412);
        }
    }

    private static IResult? Refuse(ScanRoots.Verdict verdict, string path, bool allowDirectory) => verdict switch
    {
        ScanRoots.Verdict.File => null,
        ScanRoots.Verdict.Directory when allowDirectory => null,
        ScanRoots.Verdict.Directory => Element(400, RestResult.Error, "the path is a directory; use /scanPath", path),
        ScanRoots.Verdict.Forbidden => Element(403, RestResult.Error, "the path is outside the scan roots", path),
        ScanRoots.Verdict.NotFound => Element(412, RestResult.ParseError,
            "Regex had no matches, this likely means the file path supplied to the api does not point to a file on disk.", path),
        _ => Element(400, RestResult.Error, "the path is not valid (control characters, or not a regular file)", path),
    };

    private static async Task<IResult> VersionAsync(IClamdClient clamd, CancellationToken cancellationToken)
    {
        try
        {
            var version = await clamd.GetVersionAsync(cancellationToken);
            var parts = version.Raw.TrimEnd('\0')["ClamAV ".Length..].Split('/', 3);
            // clamav-rest writes this by hand, odd spaces included.
            var body = parts.Length == 3
                ? $"{{ \"Clamav\": \"{parts[0]}\", \"Signature\": \"{parts[1]}\" , \"Signature_date\": \"{parts[2]}\" }}"
                : $"{{ \"Clamav\": \"{version.Engine}\" }}";
            return Results.Text(body, JsonContentType, Encoding.UTF8);
        }
        catch (Exception exception) when (exception is ClamdException or ClamdTimeoutException)
        {
            return Element(503, RestResult.Error, $"clamd is unreachable: {exception.Message}", null);
        }
    }

    private static async Task<IResult> StatsAsync(IClamdClient clamd, CancellationToken cancellationToken)
    {
        try
        {
            var stats = await clamd.GetStatsAsync(cancellationToken);
            var body = new Dictionary<string, string>
            {
                ["Pools"] = stats.Pools,
                ["State"] = stats.StateLine,
                ["Threads"] = stats.ThreadsLine,
                ["Memstats"] = stats.MemstatsLine,
                ["Queue"] = stats.QueueLine,
            };
            return Results.Json(body, Json, JsonContentType);
        }
        catch (Exception exception) when (exception is ClamdException or ClamdTimeoutException)
        {
            return Element(503, RestResult.Error, $"clamd is unreachable: {exception.Message}", null);
        }
    }

    private static long Limit(HttpOptions http, ScanningOptions scanning) => http.MaxFileSize ?? scanning.MaxObjectBytes;

    /// <summary>413 before reading a body whose declared length is over the limit (multipart framing gets 1 MiB on top).</summary>
    private static IResult? RefuseDeclaredLength(HttpContext context, HttpOptions http, ScanningOptions scanning, bool multipart)
    {
        var limit = Limit(http, scanning) + (multipart ? 1024 * 1024 : 0);
        if (context.Request.ContentLength > limit)
        {
            return Results.Json(RestResult.TooLarge(null), Json, JsonContentType, 413);
        }

        // The facade enforces its own limit while streaming; Kestrel's default 30 MB cap must not cut in first.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        return null;
    }

    private static IResult BadRequest(string problem) => Element(400, RestResult.Error, problem, null);

    private static IResult Element(int status, string word, string description, string? fileName) =>
        Results.Json(new RestResult(word, description, fileName, status), Json, JsonContentType, status);
}
