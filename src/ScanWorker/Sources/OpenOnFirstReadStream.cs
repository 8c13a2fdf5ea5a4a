namespace ScanWorker.Sources;

/// <summary>
/// A forward-only stream that opens its content only when the first byte is asked for. A source that reads objects
/// ahead of clamd's scan slots hands a large object out this way, so no connection sits stalled with a body nobody
/// reads while its scan waits for a slot: the content is fetched once the scan is ready to take it.
/// </summary>
public sealed class OpenOnFirstReadStream(Func<CancellationToken, Task<SourceContent>> open) : Stream
{
    private SourceContent? _inner;
    private bool _disposed;

    public override bool CanRead => !_disposed;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Whether the content has been opened (for tests and the source's own bookkeeping).</summary>
    public bool Opened => _inner is not null;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _inner ??= await open(cancellationToken);
        return await _inner.Content.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Every reader in the worker reads asynchronously; a synchronous reader would block a thread on the open.
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("read this stream asynchronously: it opens its content on the first read");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

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
