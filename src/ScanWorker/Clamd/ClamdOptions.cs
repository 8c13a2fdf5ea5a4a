using System.ComponentModel.DataAnnotations;

namespace ScanWorker.Clamd;

/// <summary>How to reach clamd and how long to wait for it. Section <c>Clamd</c>; <c>CLAMD_PORT</c> is an alias of <see cref="Address"/>.</summary>
public sealed class ClamdOptions
{
    public const string SectionName = "Clamd";

    /// <summary><c>tcp://host:port</c>, <c>unix:///path</c> or a bare socket path.</summary>
    [Required]
    public string Address { get; set; } = "tcp://localhost:3310";

    /// <summary>Longest wait for a connection to be established.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest time without bytes moving while a stream is sent (source read or socket write).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest time for one whole scan, connect to reply; covers clamd's own scanning time.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan ScanTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest time for PING, VERSION and STATS, connect to reply.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>INSTREAM chunk size in bytes; the chunk buffer is pooled, one per scan in flight.</summary>
    [Range(1024, 4 * 1024 * 1024)]
    public int ChunkSize { get; set; } = 64 * 1024;

    /// <summary>
    /// Keep connections open between scans (clamd's IDSESSION): a scan skips the connect, clamd's accept and the close,
    /// which costs both processes less CPU per small object. An idle session holds no clamd thread and is closed after
    /// a few seconds unused. False: one connection per scan, as clamav-rest does.
    /// </summary>
    public bool ReuseConnections { get; set; } = true;

    /// <summary>How long start-up waits for clamd's STATS and VERSION before going on without them.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan StartupProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often clamd is asked STATS and VERSION for metrics and readiness.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often clamd is asked PING to see whether it is alive. A refused PING, or one not answered within
    /// <see cref="HeartbeatTimeout"/>, declares clamd down: scans fail fast (REST 503, queues pause) until a PING is answered.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait for PONG before clamd counts as frozen. clamd answers PING from its accept loop, busy or not.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Oldest signature database the worker trusts. When exceeded (or when clamd reports no signature
    /// date), scans that would have been clean are reported as StaleSignatures and readiness fails.
    /// Unset: not checked.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan? MaxSignatureAge { get; set; }

    /// <summary>How often the engine and signature versions reported in results are re-read (VERSION).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan VersionRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Most scans in flight towards this clamd at once (worker and HTTP facade together). Unset: clamd's
    /// MaxThreads as reported by STATS, so no scan ever waits in clamd's own queue.
    /// </summary>
    [Range(1, 10_000)]
    public int? MaxConcurrentScans { get; set; }
}
