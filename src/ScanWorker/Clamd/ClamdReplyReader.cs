using System.Buffers;
using System.Text;

namespace ScanWorker.Clamd;

/// <summary>
/// Reads one NUL-terminated reply. Bytes after the terminator are ignored: clamd sends one reply per
/// connection outside IDSESSION. Failures are reported with BCL exceptions that the client turns into
/// typed clamd exceptions: <see cref="EndOfStreamException"/> when the peer closed before sending
/// anything, <see cref="InvalidDataException"/> when it closed mid-reply or the reply is too long.
/// </summary>
public static class ClamdReplyReader
{
    public static async Task<string> ReadAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var length = 0;
            while (true)
            {
                var free = Math.Min(buffer.Length, maxBytes) - length;
                if (free == 0)
                {
                    throw new InvalidDataException($"clamd's reply exceeds {maxBytes} bytes without a terminator.");
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length, free), cancellationToken);
                if (read == 0)
                {
                    throw length == 0
                        ? new EndOfStreamException("clamd closed the connection without a reply.")
                        : new InvalidDataException(
                            $"clamd closed the connection mid-reply after '{Decode(buffer.AsSpan(0, length))}'.");
                }

                var terminator = buffer.AsSpan(length, read).IndexOf(ClamdFraming.Terminator);
                if (terminator >= 0)
                {
                    return Decode(buffer.AsSpan(0, length + terminator));
                }

                length += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // clamd writes ASCII, but signature and path text is passed through as UTF-8.
    private static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
