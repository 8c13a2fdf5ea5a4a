using System.Net.Sockets;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>
/// Whether a Docker-compatible engine answers where Testcontainers will look for it: <c>DOCKER_HOST</c>
/// (unix:// or tcp://) or the default socket. A bounded <c>GET /_ping</c>, so a dead socket file or a
/// hung daemon reads as "no engine" instead of stalling the test run.
/// </summary>
internal static class ContainerEngine
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    public static string Endpoint =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock";

    /// <summary>Null when the engine answered; otherwise why not, for the log line and the loud failure.</summary>
    public static Task<string?> WhyNotAsync() => WhyNotAsync(Endpoint, PingTimeout);

    public static async Task<string?> WhyNotAsync(string engine, TimeSpan timeout)
    {
        var endpoint = new Uri(engine);
        using var handler = new SocketsHttpHandler();
        Uri pingUri;
        if (endpoint.Scheme == "unix")
        {
            if (!File.Exists(endpoint.AbsolutePath))
            {
                return $"no engine socket at {endpoint.AbsolutePath}";
            }

            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(endpoint.AbsolutePath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
            pingUri = new Uri("http://engine/_ping");
        }
        else if (endpoint.Scheme == "tcp")
        {
            pingUri = new Uri($"http://{endpoint.Authority}/_ping");
        }
        else
        {
            return $"DOCKER_HOST={endpoint} has a scheme these tests do not probe (unix:// or tcp://)";
        }

        using var client = new HttpClient(handler) { Timeout = timeout };
        try
        {
            using var response = await client.GetAsync(pingUri);
            return response.IsSuccessStatusCode ? null : $"{endpoint} answered /_ping with {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException)
        {
            return $"{endpoint} did not answer /_ping: {e.Message}";
        }
    }
}
