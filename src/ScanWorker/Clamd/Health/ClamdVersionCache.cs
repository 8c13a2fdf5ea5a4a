using Microsoft.Extensions.Options;

namespace ScanWorker.Clamd;

/// <summary>
/// clamd's VERSION, read at most once per <see cref="ClamdOptions.VersionRefreshInterval"/>, for the
/// engine and signature fields of every result. A failed read leaves the last known value in place.
/// </summary>
public sealed class ClamdVersionCache(IClamdClient clamd, IOptions<ClamdOptions> options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private ClamdVersion? _version;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    /// <summary>The current version, or null when clamd has not answered VERSION yet.</summary>
    public async ValueTask<ClamdVersion?> GetAsync(CancellationToken cancellationToken)
    {
        if (IsFresh)
        {
            return _version;
        }

        // While a version is known, a stale one is good enough for the callers that find a refresh in progress;
        // until the first one is read, everybody waits for it.
        var known = _version;
        if (known is null)
        {
            await _refresh.WaitAsync(cancellationToken);
        }
        else if (!await _refresh.WaitAsync(0, cancellationToken))
        {
            return known;
        }

        try
        {
            if (!IsFresh)
            {
                _version = await clamd.GetVersionAsync(cancellationToken);
                _readAt = time.GetUtcNow();
            }
        }
        catch (Exception exception) when (ClamdFailure.Is(exception, cancellationToken))
        {
            // Keep the last value; the next call tries again.
        }
        finally
        {
            _refresh.Release();
        }

        return _version;
    }

    private bool IsFresh => time.GetUtcNow() - _readAt < options.Value.VersionRefreshInterval;

    public void Dispose() => _refresh.Dispose();
}
