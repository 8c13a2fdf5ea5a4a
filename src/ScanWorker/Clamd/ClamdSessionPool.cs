using System.Collections.Concurrent;
using System.Net.Sockets;

namespace ScanWorker.Clamd;

/// <summary>
/// Idle IDSESSION connections, so a scan skips the connect, clamd's accept and the close (measured in
/// bench/RESULTS.md). An idle session holds no clamd thread, but clamd counts it against its MaxQueue (100 by default;
/// past it clamd serves no new connection, PING included), so idle sessions are closed after <see cref="MaxIdle"/>
/// by a sweep, not only when next asked for. A session is handed back only after a scan that ended with a verdict; one
/// that is idle too long, or that clamd has closed or written to unasked, is closed instead of reused. A session that
/// dies between that check and its next use fails that scan as clamd being unavailable: never clean, and retried like
/// any other clamd failure.
/// </summary>
internal sealed class ClamdSessionPool : IDisposable
{
    /// <summary>
    /// Well below clamd's own idle limits (its CommandReadTimeout and IdleTimeout default to 30 s) and those of the
    /// proxies and NAT tables between: under load sessions are reused within milliseconds.
    /// </summary>
    public static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(5);

    /// <summary>How often idle sessions past <see cref="MaxIdle"/> are looked for and closed.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentStack<ClamdConnection> _idle = new();
    private readonly TimeProvider _time;
    private readonly ITimer _sweep;
    private bool _disposed;

    public ClamdSessionPool(TimeProvider time)
    {
        _time = time;
        _sweep = time.CreateTimer(_ => CloseExpired(), null, SweepInterval, SweepInterval);
    }

    /// <summary>An idle session that is still open, or null.</summary>
    public ClamdConnection? TryTake()
    {
        while (_idle.TryPop(out var session))
        {
            if (IsReusable(session))
            {
                return session;
            }

            session.Dispose();
        }

        return null;
    }

    public void Return(ClamdConnection session)
    {
        session.IdleSince = _time.GetTimestamp();
        _idle.Push(session);
        if (Volatile.Read(ref _disposed))
        {
            CloseIdle();
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        _sweep.Dispose();
        CloseIdle();
    }

    // Takes every idle session out, closes the expired ones and puts the others back in their order. A scan that asks
    // meanwhile opens a new connection: a rare, harmless miss.
    private void CloseExpired()
    {
        if (_idle.IsEmpty)
        {
            return;
        }

        var kept = new List<ClamdConnection>();
        while (_idle.TryPop(out var session))
        {
            if (IsReusable(session))
            {
                kept.Add(session);
            }
            else
            {
                session.Dispose();
            }
        }

        for (var i = kept.Count - 1; i >= 0; i--)
        {
            _idle.Push(kept[i]);
        }

        if (Volatile.Read(ref _disposed))
        {
            CloseIdle();
        }
    }

    private bool IsReusable(ClamdConnection session) => _time.GetElapsedTime(session.IdleSince) < MaxIdle && IsQuiet(session.Socket);

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
