namespace ScanWorker.Sources;

/// <summary>
/// A forward-only stream that opens its content only when the first byte is asked for. The S3 source hands out the rest
/// of a larger object this way, so the GET for it is made when the scan gets there, not while the scan waits for a
/// clamd slot with a connection stalled on a body nobody reads.
/// </summary>
public sealed class OpenOnFirstReadStream(Func<CancellationToken, Task<SourceContent>> open) : ReadOnlyForwardStream
{
    private SourceContent? _inner;
    private bool _disposed;

    public override bool CanRead => !_disposed;

    /// <summary>Whether the content has been opened (for tests and the source's own bookkeeping).</summary>
    public bool Opened => _inner is not null;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _inner ??= await open(cancellationToken);
        return await _inner.Content.ReadAsync(buffer, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _inner?.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            if (_inner is not null)
            {
                await _inner.DisposeAsync();
            }
        }

        await base.DisposeAsync();
    }
}
