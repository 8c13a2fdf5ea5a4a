using System.Net;
using System.Net.Sockets;
using ScanWorker.Clamd;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>
/// A scripted clamd on 127.0.0.1:0 for faults the real one cannot be made to show: hanging, lying,
/// closing mid-reply. Each accepted connection runs the handler; the fake counts connections. On a connection the
/// client made an IDSESSION the handler runs again for each further command, as clamd serves a session, for as long
/// as the script answers in full (<see cref="FakeClamdConnection.ServesAnotherCommand"/>).
/// </summary>
internal sealed class FakeClamd : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<FakeClamdConnection, CancellationToken, Task> _handler;
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _accepted;

    private readonly bool _answerPing;

    private FakeClamd(Func<FakeClamdConnection, CancellationToken, Task> handler, bool answerPing)
    {
        _handler = handler;
        _answerPing = answerPing;
        _listener.Start();
        Address = ClamdAddress.Tcp("127.0.0.1", ((IPEndPoint)_listener.LocalEndpoint).Port);
        _acceptLoop = AcceptLoopAsync();
    }

    public ClamdAddress Address { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    /// <param name="handler">The script for each connection.</param>
    /// <param name="answerPing">
    /// Answer the worker's heartbeat PING with PONG before the script sees it (the script then never gets a PING), so a
    /// fake that hangs or lies about scans is not also declared frozen; false hands PING to the script like any command.
    /// </param>
    public static FakeClamd Start(Func<FakeClamdConnection, CancellationToken, Task> handler, bool answerPing = true) => new(handler, answerPing);

    private async Task AcceptLoopAsync()
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

            Interlocked.Increment(ref _accepted);
            lock (_connections)
            {
                _connections.Add(ServeAsync(socket));
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            await using var connection = new FakeClamdConnection(socket, _answerPing);
            do
            {
                await _handler(connection, _stop.Token);
            }
            while (connection.ServesAnotherCommand);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException or FakeClamdConnection.PingAnswered)
        {
            // The client went away or the fake is shutting down; both are normal in fault tests.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(10));
        _listener.Dispose();
        _stop.Dispose();
    }
}
