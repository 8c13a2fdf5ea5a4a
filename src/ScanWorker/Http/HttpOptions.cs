using System.ComponentModel.DataAnnotations;

namespace ScanWorker.Http;

/// <summary>The clamav-rest compatible HTTP facade. Section <c>Http</c>; clamav-rest's variables are aliases.</summary>
public sealed class HttpOptions
{
    public const string SectionName = "Http";

    /// <summary>Address to listen on; <c>0.0.0.0</c> for all IPv4 interfaces.</summary>
    [Required]
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Cleartext port: HTTP/1.1 and HTTP/2 with prior knowledge (h2c). Alias <c>PORT</c>. 0 picks a free port.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 9000;

    /// <summary>TLS port (HTTP/1.1 and HTTP/2 by ALPN); served only when both PEM files exist. Alias <c>SSL_PORT</c>; 0 (or an empty SSL_PORT): no TLS.</summary>
    [Range(0, 65535)]
    public int SslPort { get; set; } = 9443;

    /// <summary>PEM certificate (chain). Alias <c>SSL_CERT</c>.</summary>
    public string SslCert { get; set; } = "/etc/ssl/clamav-rest/server.crt";

    /// <summary>PEM private key. Alias <c>SSL_KEY</c>.</summary>
    public string SslKey { get; set; } = "/etc/ssl/clamav-rest/server.key";

    /// <summary>
    /// Largest file, in bytes, per uploaded part, raw body or server file, as clamav-rest's <c>MAX_FILE_SIZE</c>
    /// (its <c>25M</c> form is the alias); keep it at clamd's StreamMaxLength. Unset: Scanning:MaxObjectBytes.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long? MaxFileSize { get; set; }

    /// <summary>
    /// Largest request body, in bytes, all parts and framing together: protects the server from an endless
    /// upload of many small parts. A body declared larger is refused before it is read; one that grows past it
    /// is cut there. Default 4 GiB.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Most parts (files and fields) one multipart request may carry; more is a 400.</summary>
    [Range(1, 1_000_000)]
    public int MaxParts { get; set; } = 1000;

    /// <summary>Most connections open at once on each port; Kestrel refuses further ones until some close.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 4096;

    /// <summary>
    /// Longest wait for a request's headers (Kestrel's RequestHeadersTimeout), and for the first bytes of a new
    /// cleartext connection, which decide between HTTP/1.1 and h2c: an idle or half-sent connection is closed then.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most entries (files, directories, links) one /scanPath walk may visit; over it the answer is an error, never a partial 200.</summary>
    [Range(1, 10_000_000)]
    public int ScanPathMaxEntries { get; set; } = 10_000;

    /// <summary>Deepest directory level below the requested one that /scanPath descends to.</summary>
    [Range(1, 1024)]
    public int ScanPathMaxDepth { get; set; } = 32;

    /// <summary>Longest a /scanPath walk may take (checked between files); over it the answer is an error.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ScanPathTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>CORS origins separated by <c>;</c> (or <c>*</c>). Alias <c>ALLOW_ORIGINS</c>. Unset: no cross-origin access.</summary>
    public string? AllowOrigins { get; set; }

    /// <summary>API keys; when any is set, scan endpoints need <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-API-Key</c>.</summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>Directories /scanFile and /scanPath may read below. Unset: none (both endpoints refuse every path).</summary>
    public IList<string> ScanRoots { get; } = [];

    /// <summary>
    /// The cleartext port (<see cref="Port"/>): <c>On</c> on <see cref="BindAddress"/>, <c>Loopback</c> on 127.0.0.1 only
    /// (local probes; callers come over TLS), <c>Off</c> (TLS only; needs <see cref="SslPort"/> with its PEM files).
    /// </summary>
    public CleartextMode Cleartext { get; set; } = CleartextMode.On;

    /// <summary>With API keys set: <c>/metrics</c>, <c>/</c>, <c>/version</c> and <c>/health/*</c> need a key too.</summary>
    public bool ProtectManagement { get; set; }

    /// <summary>Longest a scan request may take, upload included, so a slow client cannot hold a clamd slot forever.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
