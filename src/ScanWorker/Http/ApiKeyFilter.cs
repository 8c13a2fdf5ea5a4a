using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ScanWorker.Http;

/// <summary>
/// When Http:ApiKeys holds any key, a scan request must carry one, as <c>Authorization: Bearer &lt;key&gt;</c>
/// or <c>X-API-Key: &lt;key&gt;</c>; otherwise 401 with a JSON error element. Keys are compared in constant time.
/// </summary>
internal sealed class ApiKeyFilter(IOptions<HttpOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (Accepts(context.HttpContext.Request, options.Value.ApiKeys))
        {
            return await next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return Unauthorized;
    }

    internal static IResult Unauthorized { get; } =
        Results.Json(new RestElement(RestElement.Error, "an API key is required (Authorization: Bearer <key> or X-API-Key)", null, 401),
            ClamavRestEndpoints.Json, ClamavRestEndpoints.JsonContentType, 401);

    /// <summary>True when no key is configured, or the request presents one of them.</summary>
    internal static bool Accepts(HttpRequest request, IList<string> keys) =>
        keys.Count == 0 || (Presented(request) is { } key && keys.Any(known => Same(known, key)));

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        return request.Headers.TryGetValue("X-API-Key", out var header) && header.Count > 0 ? header[0] : null;
    }

    private static bool Same(string known, string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(known)), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
