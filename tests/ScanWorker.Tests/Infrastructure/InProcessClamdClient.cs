using System.Security.Cryptography;
using ScanWorker.Clamd;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>
/// A clamd client for the fast tier, with no clamd behind it: it reads the whole stream as INSTREAM would and answers
/// FOUND for content holding the EICAR string (so the engine canary passes), OK for anything else, and refuses scans (while
/// still answering PING, so no breaker opens) while <see cref="RefusingScans"/> is set. Wire behaviour is the real-server tier's and the byte-level tests' business.
/// </summary>
public sealed class InProcessClamdClient : IClamdClient
{
    public const string Signature = "Eicar-Test-Signature";

    private static readonly byte[] EicarMarker = "EICAR-STANDARD-ANTIVIRUS-TEST-FILE"u8.ToArray();
    private int _scans;

    public ClamdAddress Address { get; } = ClamdAddress.Tcp("in-process-clamd", 3310);

    /// <summary>While true every scan fails as a refused connection; PING and VERSION still answer.</summary>
    public bool RefusingScans { get; set; }

    /// <summary>While true nothing is detected, EICAR included: an engine whose signature database is broken.</summary>
    public bool Blind { get; set; }

    /// <summary>Streams scanned so far (canary samples included).</summary>
    public int Scans => Volatile.Read(ref _scans);

    public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<ClamdVersion> GetVersionAsync(CancellationToken cancellationToken)
    {
        return ClamdVersion.TryParse("ClamAV 1.0.7/27480/Mon Dec  7 06:00:00 2026", out var version)
            ? Task.FromResult(version!)
            : throw new InvalidOperationException("the in-process clamd's version does not parse");
    }

    public Task<ClamdStats> GetStatsAsync(CancellationToken cancellationToken) =>
        throw new ClamdProtocolException("the in-process clamd keeps no STATS", Address, ClamdPhase.AwaitReply, 0, inner: null);

    public Task<int> GetScanCapacityAsync(CancellationToken cancellationToken) => Task.FromResult(4);

    public async Task<ClamdAnswer> ScanAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (RefusingScans)
        {
            throw new ClamdUnavailableException($"clamd at {Address} refuses connections (Connection refused)", Address, ClamdPhase.Connect, 0, inner: null);
        }

        Interlocked.Increment(ref _scans);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        ClamdReply reply = !Blind && bytes.AsSpan().IndexOf(EicarMarker) >= 0
            ? new ClamdReply.Infected($"stream: {Signature} FOUND", [Signature])
            : new ClamdReply.Clean("stream: OK");
        return new ClamdAnswer(reply, bytes.Length, StreamCompleted: true, Convert.ToHexStringLower(SHA256.HashData(bytes)), TimeSpan.Zero);
    }
}
