using System.Net;
using System.Net.Sockets;

namespace ScanWorker.Tests.Infrastructure;

internal static class FreePort
{
    /// <summary>A loopback TCP port nobody listens on right now (the OS picks it).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The first of <paramref name="count"/> consecutive free loopback ports whose companions 100 above are free
    /// too (the cluster script's AMQP and distribution ports), below Linux's ephemeral range so the OS does not
    /// hand them out meanwhile.
    /// </summary>
    public static int NextRun(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = Random.Shared.Next(20_000, 30_000);
            if (Enumerable.Range(first, count).Concat(Enumerable.Range(first + 100, count)).All(IsFree))
            {
                return first;
            }
        }

        throw new InvalidOperationException($"no run of {count} free loopback ports found");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
