using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ScanWorker.Clamd;
using ScanWorker.Diagnostics;

namespace ScanWorker.Http;

/// <summary>The REST API of clamav-rest, served by the worker (see docs/rest.md).</summary>
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
        scans.AddEndpointFilter<RetryAfterFilter>();
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

    private static async Task<IResult> ScanV2Async(HttpContext context, RestScan scan, UploadLimits limits)
    {
        if (RefuseDeclaredLength(context, limits.MaxRequestBytes) is { } tooLarge)
        {
            // Every /v2/scan answer is an array, this one included.
            return Results.Json(new[] { tooLarge }, Json, JsonContentType, 413);
        }

        var (results, problem) = await UploadScanning.ScanPartsAsync(context.Request, scan, limits, reportNamelessParts: true,
            context.RequestAborted);
        return results is null
            ? BadRequest(problem!)
            : Results.Json(results.Elements, Json, JsonContentType, results.Status);
    }

    private static async Task<IResult> ScanV1Async(HttpContext context, RestScan scan, ScanWorkerTelemetry telemetry, UploadLimits limits)
    {
        telemetry.DeprecatedScanEndpointHits.Add(1);
        context.Response.Headers["Deprecation"] = "version=v1";
        // clamav-rest's exact header: the request's Host, no scheme, no angle brackets.
        context.Response.Headers["Link"] = $"{context.Request.Host}/v2/scan; rel=successor-version";
        if (RefuseDeclaredLength(context, limits.MaxRequestBytes) is { } tooLarge)
        {
            return Results.Json(tooLarge, Json, JsonContentType, 413);
        }

        var (results, problem) = await UploadScanning.ScanPartsAsync(context.Request, scan, limits, reportNamelessParts: false,
            context.RequestAborted);
        if (results is null)
        {
            return BadRequest(problem!);
        }

        if (results.Elements.Count == 0)
        {
            return Results.StatusCode(200);
        }

        // v1 writes bare objects one after another, without FileName and without separators.
        var body = string.Concat(results.Elements.Select(result => JsonSerializer.Serialize(result with { FileName = null }, Json)));
        return Results.Text(body, JsonContentType, Encoding.UTF8, results.Status);
    }

    private static async Task<IResult> ScanBodyAsync(HttpContext context, RestScan scan, UploadLimits limits)
    {
        // The body is one file: the per-file limit applies to it, and to its declared length before anything is read.
        var limit = Math.Min(limits.MaxFileBytes, limits.MaxRequestBytes);
        if (RefuseDeclaredLength(context, limit) is not null)
        {
            return Results.Json(RestElement.TooLarge(null), Json, JsonContentType, 413);
        }

        var result = await scan.UploadAsync(context.Request.Body, context.Request.ContentLength, limit, fileName: null, context.RequestAborted);
        if (result.HttpStatus is 413 or 503)
        {
            return Results.Json(result, Json, JsonContentType, result.HttpStatus);
        }

        // clamav-rest prints its internal struct with Go's %v: {Status Description FileName code}.
        return Results.Text($"{{{result.Status} {result.Description} {result.FileName} {result.HttpStatus}}}", JsonContentType, Encoding.UTF8,
            result.HttpStatus);
    }

    private static async Task<IResult> ScanFileAsync(string? path, HttpContext context, RestScan scan, ScanRoots roots, UploadLimits limits)
    {
        if (string.IsNullOrEmpty(path))
        {
            return Results.Text("URL param 'path' is missing", "text/plain; charset=utf-8", Encoding.UTF8, 400);
        }

        var (kind, _, file) = roots.Resolve(path);
        var refused = Refuse(kind, path, allowDirectory: false);
        if (refused is not null)
        {
            return refused;
        }

        var result = await scan.FileAsync(file!, path, limits.MaxFileBytes, context.RequestAborted);
        return Results.Json(result, Json, JsonContentType, result.HttpStatus);
    }

    private static async Task<IResult> ScanPathAsync(string? path, HttpContext context, RestScan scan, ScanRoots roots, UploadLimits limits,
        IOptions<HttpOptions> http, TimeProvider time)
    {
        if (string.IsNullOrEmpty(path))
        {
            return Results.Text("URL param 'path' is missing", "text/plain; charset=utf-8", Encoding.UTF8, 400);
        }

        var (kind, real, file) = roots.Resolve(path);
        var refused = Refuse(kind, path, allowDirectory: true);
        if (refused is not null)
        {
            return refused;
        }

        IReadOnlyList<RestElement> results = kind == ScanRoots.PathKind.File
            ? [await scan.FileAsync(file!, path, limits.MaxFileBytes, context.RequestAborted)]
            : await new ServerPathWalk(roots, scan, limits.MaxFileBytes, http.Value, time).WalkAsync(real!, path, context.RequestAborted);
        return Results.Json(results, Json, JsonContentType, StatusAggregation.Aggregate(results));
    }

    private static IResult? Refuse(ScanRoots.PathKind kind, string path, bool allowDirectory) => kind switch
    {
        ScanRoots.PathKind.File => null,
        ScanRoots.PathKind.Directory when allowDirectory => null,
        ScanRoots.PathKind.Directory => Element(400, RestElement.Error, "the path is a directory; use /scanPath", path),
        ScanRoots.PathKind.Forbidden => Element(403, RestElement.Error, "the path is outside the scan roots", path),
        ScanRoots.PathKind.NotFound => Element(412, RestElement.ParseError,
            "Regex had no matches, this likely means the file path supplied to the api does not point to a file on disk.", path),
        _ => Element(400, RestElement.Error, "the path is not valid (control characters, or not a regular file)", path),
    };

    private static async Task<IResult> VersionAsync(IClamdClient clamd, HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.Headers[BuildInfo.Header] = BuildInfo.Version;
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
        catch (Exception exception) when (ClamdFailure.Is(exception, cancellationToken))
        {
            return Element(503, RestElement.Error, PublicText.WithoutClamdAddress($"clamd is unreachable: {exception.Message}", clamd.Address), null);
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
        catch (Exception exception) when (ClamdFailure.Is(exception, cancellationToken))
        {
            return Element(503, RestElement.Error, PublicText.WithoutClamdAddress($"clamd is unreachable: {exception.Message}", clamd.Address), null);
        }
    }

    /// <summary>
    /// The 413 element for a body whose declared length is over <paramref name="limit"/>, before any of it is read;
    /// otherwise null, and Kestrel's own 30 MB cap is lifted: the facade enforces its limits while streaming.
    /// </summary>
    private static RestElement? RefuseDeclaredLength(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return RestElement.RequestTooLarge(limit);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        return null;
    }

    private static IResult BadRequest(string problem) => Element(400, RestElement.Error, problem, null);

    private static IResult Element(int status, string word, string description, string? fileName) =>
        Results.Json(new RestElement(word, description, fileName, status), Json, JsonContentType, status);
}
