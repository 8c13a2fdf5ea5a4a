using System.Net;
using System.Net.Sockets;

namespace ScanWorker.Tests.Infrastructure;

internal static class FreePort
{
    // Every port handed out so far. The OS may pick a port it picked a moment ago once that listener is closed, and a
    // test that asks for several ports before its servers bind them would then get one twice (the local run's clamd
    // and S3 server were once given the same port).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> Given = new();

    /// <summary>A loopback TCP port nobody listens on right now (the OS picks it), never one handed out before.</summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (Given.TryAdd(port, 0))
            {
                return port;
            }
        }
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
