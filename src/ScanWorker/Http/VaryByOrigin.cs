using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ScanWorker.Http;

/// <summary>
/// With ALLOW_ORIGINS set, an answer differs by the request's Origin (the CORS headers are there or not), so every
/// answer says <c>Vary: Origin</c>: a shared cache must not hand one origin's answer to another. ASP.NET's CORS
/// middleware adds it only for some policies and only to requests that carry an Origin.
/// </summary>
public static class VaryByOrigin
{
    public static WebApplication UseVaryByOrigin(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (string.IsNullOrWhiteSpace(app.Services.GetRequiredService<IOptions<HttpOptions>>().Value.AllowOrigins))
        {
            return app;
        }

        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var vary = context.Response.Headers.Vary;
                if (!vary.Any(value => value?.Split(',').Any(name => name.Trim().Equals(HeaderNames.Origin, StringComparison.OrdinalIgnoreCase)) == true))
                {
                    context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Origin);
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
