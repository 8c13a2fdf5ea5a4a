namespace ScanWorker.Clamd;

/// <summary>
/// Talks to one clamd: a fresh connection per operation, never reused after a failure.
/// Failures surface as <see cref="ClamdUnavailableException"/>, <see cref="ClamdProtocolException"/>,
/// <see cref="ClamdTimeoutException"/>, or <see cref="OperationCanceledException"/> for the caller's token.
/// </summary>
public interface IClamdClient
{
    ClamdAddress Address { get; }

    /// <summary>PING; completes when clamd answered PONG.</summary>
    Task PingAsync(CancellationToken cancellationToken);

    Task<ClamdVersion> GetVersionAsync(CancellationToken cancellationToken);

    Task<ClamdStats> GetStatsAsync(CancellationToken cancellationToken);

    /// <summary>How many scans may be in flight at once (see <see cref="ClamdScanSlots"/>); may ask clamd.</summary>
    Task<int> GetScanCapacityAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Streams <paramref name="content"/> (read forward only, never sought) to clamd with INSTREAM and
    /// returns its typed answer. Waits for a free slot first (see <see cref="ClamdScanSlots"/>).
    /// </summary>
    Task<ClamdAnswer> ScanAsync(Stream content, CancellationToken cancellationToken);
}
