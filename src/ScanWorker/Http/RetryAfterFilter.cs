using System.Globalization;
using Microsoft.Extensions.Options;
using ScanWorker.Clamd;

namespace ScanWorker.Http;

/// <summary>
/// Every 503 of a scan endpoint (clamd down, frozen, or an engine that failed its canary) tells the caller when to try
/// again: one heartbeat plus its timeout, the longest the breaker takes to see clamd back.
/// </summary>
internal sealed class RetryAfterFilter(IOptions<ClamdOptions> clamd) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var response = context.HttpContext.Response;
        var seconds = (int)Math.Ceiling((clamd.Value.HeartbeatInterval + clamd.Value.HeartbeatTimeout).TotalSeconds);
        response.OnStarting(() =>
        {
            if (response.StatusCode == StatusCodes.Status503ServiceUnavailable)
            {
                response.Headers.RetryAfter = Math.Max(1, seconds).ToString(CultureInfo.InvariantCulture);
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
