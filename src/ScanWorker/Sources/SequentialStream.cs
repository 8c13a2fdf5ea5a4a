namespace ScanWorker.Sources;

/// <summary>
/// Forward-only reads through several streams one after the other, as one: an object fetched in parts reads as the
/// object. Disposing it disposes every part, read or not.
/// </summary>
public sealed class SequentialStream(params Stream[] parts) : ReadOnlyForwardStream
{
    private int _current;
    private bool _disposed;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        for (; _current < parts.Length; _current++)
        {
            var read = await parts[_current].ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                return read;
            }
        }

        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            foreach (var part in parts)
            {
                part.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            foreach (var part in parts)
            {
                await part.DisposeAsync();
            }
        }

        await base.DisposeAsync();
    }
}
