using System.Collections.Concurrent;
using System.Net.Sockets;

namespace ScanWorker.Clamd;

/// <summary>
/// Idle IDSESSION connections, so a scan skips the connect, clamd's accept and the close (measured in
/// bench/RESULTS.md). An idle session holds no clamd thread. A session is handed back only after a scan that ended
/// with a verdict; one that is idle too long, or that clamd has closed or written to unasked, is closed instead of
/// reused. A session that dies between that check and its next use fails that scan as clamd being unavailable:
/// never clean, and retried like any other clamd failure.
/// </summary>
internal sealed class ClamdSessionPool(TimeProvider time) : IDisposable
{
    /// <summary>
    /// Well below clamd's own idle limits (its CommandReadTimeout and IdleTimeout default to 30 s) and those of the
    /// proxies and NAT tables between: under load sessions are reused within milliseconds.
    /// </summary>
    public static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(5);

    private readonly ConcurrentStack<ClamdConnection> _idle = new();
    private bool _disposed;

    /// <summary>An idle session that is still open, or null.</summary>
    public ClamdConnection? TryTake()
    {
        while (_idle.TryPop(out var session))
        {
            if (time.GetElapsedTime(session.IdleSince) < MaxIdle && IsQuiet(session.Socket))
            {
                return session;
            }

            session.Dispose();
        }

        return null;
    }

    public void Return(ClamdConnection session)
    {
        session.IdleSince = time.GetTimestamp();
        _idle.Push(session);
        if (Volatile.Read(ref _disposed))
        {
            CloseIdle();
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        CloseIdle();
    }

    private void CloseIdle()
    {
        while (_idle.TryPop(out var session))
        {
            session.Dispose();
        }
    }

    // Between scans clamd sends nothing: a readable socket means it closed the session or broke the protocol.
    private static bool IsQuiet(Socket socket)
    {
        try
        {
            return !socket.Poll(0, SelectMode.SelectRead);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }
}
