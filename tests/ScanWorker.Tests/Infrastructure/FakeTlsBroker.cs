using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>
/// A TLS listener that poses as the broker with a certificate of the test's choosing (one a real broker would have to be
/// reconfigured for) and counts what a client sends after the handshake: the AMQP header, then the login with the
/// password. A client that refuses the certificate sends nothing.
/// </summary>
internal sealed class FakeTlsBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _bytesAfterHandshake;
    private int _handshakes;
    private int _refusedHandshakes;

    public FakeTlsBroker(X509Certificate2 certificate)
    {
        _certificate = certificate;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Handshakes the client broke off (it refused the certificate).</summary>
    public int RefusedHandshakes => Volatile.Read(ref _refusedHandshakes);

    /// <summary>Handshakes the client completed.</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    public long BytesAfterHandshake => Interlocked.Read(ref _bytesAfterHandshake);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
        }
        catch (Exception exception) when (exception is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            Interlocked.Increment(ref _refusedHandshakes);
            return;
        }

        Interlocked.Increment(ref _handshakes);
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await tls.ReadAsync(buffer, _stop.Token)) > 0)
            {
                Interlocked.Add(ref _bytesAfterHandshake, read);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
            // The client went away.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _listener.Dispose();
        _stop.Dispose();
    }
}
