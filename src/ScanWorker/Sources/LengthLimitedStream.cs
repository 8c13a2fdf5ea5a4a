namespace ScanWorker.Sources;

/// <summary>
/// Passes reads through until more than <paramref name="limit"/> bytes would have been read, then throws
/// what <paramref name="overLimit"/> makes: a stream of unknown length is cut at the limit, never buffered.
/// The limit is checked against bytes actually read, so a part of exactly the limit passes.
/// </summary>
public sealed class LengthLimitedStream(Stream inner, long limit, Func<long, Exception> overLimit) : ReadOnlyForwardStream
{
    private long _read;

    /// <summary>A per-object limit: over it the scan is <c>TooLarge</c>.</summary>
    public static LengthLimitedStream PerObject(Stream inner, long limit, string what) =>
        new(inner, limit, max => new ScanSourceException(Contracts.ScanErrorReason.TooLarge, $"{what} is larger than the limit of {max} bytes"));

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Ask for one byte more than allowed, so a stream of exactly the limit passes and one byte over does not.
        var allowed = (int)Math.Min(buffer.Length, limit + 1 - _read);
        var read = await inner.ReadAsync(buffer[..allowed], cancellationToken);
        _read += read;
        return _read > limit ? throw overLimit(limit) : read;
    }
}
