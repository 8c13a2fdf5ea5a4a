using System.Net.Sockets;

namespace ScanWorker.Clamd;

/// <summary>
/// One connection a scan runs on: used once, or kept open across scans as an IDSESSION. clamd numbers the commands
/// of a session from 1 and prefixes each reply with its number, so a reply is only ever taken for the scan that asked
/// for it.
/// </summary>
internal sealed class ClamdConnection(ClamdAddress address, bool session) : IDisposable
{
    /// <summary>
    /// Requests after which a session is closed rather than reused, long before its id could overflow on either side
    /// (a busy worker reuses one session for days): a fresh connection every 100,000 scans costs nothing measurable.
    /// </summary>
    public const int MaxRequestsPerSession = 100_000;

    /// <summary>A new socket towards the address, connected by the caller.</summary>
    public Socket Socket { get; } = address.CreateSocket();

    public bool IsSession => session;

    /// <summary>In a session, the id clamd gives the scan in flight (the INSTREAMs sent so far); otherwise null.</summary>
    public int? RequestId { get; private set; }

    /// <summary>Whether the session has carried its last request (<see cref="MaxRequestsPerSession"/>).</summary>
    public bool IsWorn => RequestId >= MaxRequestsPerSession;

    /// <summary>When the session was last handed back, from <see cref="TimeProvider.GetTimestamp"/>.</summary>
    public long IdleSince { get; set; }

    /// <summary>The bytes that start the next scan; on a session's first they open the session too.</summary>
    public ReadOnlyMemory<byte> BeginInStream()
    {
        if (!session)
        {
            return ClamdFraming.InStream;
        }

        RequestId = (RequestId ?? 0) + 1;
        return RequestId == 1 ? ClamdFraming.SessionInStream : ClamdFraming.InStream;
    }

    public void Dispose() => Socket.Dispose();
}
