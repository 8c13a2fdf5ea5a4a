using Microsoft.Extensions.Options;

namespace ScanWorker.Http;

/// <summary>
/// With <see cref="HttpOptions.ProtectManagement"/>, the management endpoints (<c>/metrics</c>, <c>/</c>, <c>/version</c>,
/// <c>/health/*</c>) need an API key like the scan endpoints: what clamd runs, how busy it is and where it lives is
/// nobody else's business. Probes then send the key (Kubernetes: <c>httpHeaders</c>).
/// </summary>
public static class ManagementGuard
{
    public static IApplicationBuilder UseManagementGuard(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var http = app.ApplicationServices.GetRequiredService<IOptions<HttpOptions>>().Value;
        if (!http.ProtectManagement)
        {
            return app;
        }

        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            var management = path == "/" || path == "/metrics" || path == "/version" || path.StartsWithSegments("/health", StringComparison.Ordinal);
            if (management && !ApiKeyFilter.Accepts(context.Request, http.ApiKeys))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await ApiKeyFilter.Unauthorized.ExecuteAsync(context);
                return;
            }

            await next(context);
        });
    }
}
