using ScanWorker.Sources;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>
/// Yields a repeating printable pattern up to a fixed length. Not seekable, allocates nothing after
/// construction, so a test can stream hundreds of megabytes and measure only what the code under test allocates.
/// </summary>
internal sealed class PatternStream(long length) : ReadOnlyForwardStream
{
    private static readonly byte[] Pattern = "The quick brown fox jumps over the lazy dog. 0123456789\n"u8.ToArray();
    private long _position;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var span = buffer.Span;
        var count = (int)Math.Min(span.Length, length - _position);
        for (var i = 0; i < count; i++)
        {
            span[i] = Pattern[(int)((_position + i) % Pattern.Length)];
        }

        _position += count;
        return ValueTask.FromResult(count);
    }
}
