using ScanWorker.Clamd;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>
/// A clamd client that reports the signature version a test sets and passes everything else to the real clamd. The
/// project's test signatures are not a CVD, so a real clamd reports no version number; this is the one thing about an
/// update that it cannot show.
/// </summary>
internal sealed class SignatureVersionOverride(IClamdClient inner, Func<int> version) : IClamdClient, IDisposable
{
    public ClamdAddress Address => inner.Address;

    public Task PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);

    public async Task<ClamdVersion> GetVersionAsync(CancellationToken cancellationToken) =>
        (await inner.GetVersionAsync(cancellationToken)) with { SignatureVersion = version() };

    public Task<ClamdStats> GetStatsAsync(CancellationToken cancellationToken) => inner.GetStatsAsync(cancellationToken);

    public Task<int> GetScanCapacityAsync(CancellationToken cancellationToken) => inner.GetScanCapacityAsync(cancellationToken);

    public Task<ClamdAnswer> ScanAsync(Stream content, CancellationToken cancellationToken) => inner.ScanAsync(content, cancellationToken);

    // The host disposes this wrapper, not the client it was given: the client's idle clamd sessions close with it.
    public void Dispose() => (inner as IDisposable)?.Dispose();
}
