using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ScanWorker.Diagnostics;
using Prometheus;
using ScanWorker.Http;

namespace ScanWorker.Hosting;

public static class ScanWorkerEndpoints
{

    /// <summary>Maps the HTTP surface: the clamav-rest API, metrics, and health (always mapped, in every environment).</summary>
    public static WebApplication MapScanWorkerEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseVaryByOrigin();
        app.UseManagementGuard();
        app.UseCors(HttpBuilderExtensions.CorsPolicy);
        app.UseRequestTimeouts();
        app.MapClamavRestEndpoints();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJsonAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = WriteJsonAsync,
        });
        // Classic text format 0.0.4 (OpenMetrics when a scraper asks for it), from this host's own registry.
        // GET (and HEAD) only, as clamav-rest: anything else is 405.
        app.MapMetrics("/metrics", app.Services.GetRequiredService<ScanWorkerTelemetry>().Registry)
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
        return app;
    }

    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers[BuildInfo.Header] = BuildInfo.Version;
        var body = new
        {
            status = report.Status.ToString(),
            version = BuildInfo.Version,
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
