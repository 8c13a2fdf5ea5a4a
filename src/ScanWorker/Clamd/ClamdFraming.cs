using System.Buffers.Binary;
using System.Text;

namespace ScanWorker.Clamd;

/// <summary>
/// The bytes of clamd's socket protocol. Pure: no I/O. Commands use the <c>z</c> form (NUL-terminated,
/// replies NUL-terminated); an INSTREAM body is a sequence of chunks, each a big-endian uint32 length
/// followed by that many bytes, ended by a zero-length chunk.
/// </summary>
public static class ClamdFraming
{
    /// <summary>Size of the length prefix in front of every INSTREAM chunk.</summary>
    public const int ChunkHeaderSize = 4;

    /// <summary>Ends every <c>z</c> command and every reply.</summary>
    public const byte Terminator = 0;

    public static ReadOnlyMemory<byte> Ping { get; } = Command("PING");

    public static ReadOnlyMemory<byte> Version { get; } = Command("VERSION");

    public static ReadOnlyMemory<byte> Stats { get; } = Command("STATS");

    public static ReadOnlyMemory<byte> InStream { get; } = Command("INSTREAM");

    /// <summary>
    /// Opens a session and starts its first INSTREAM in one write: inside an IDSESSION clamd keeps the connection
    /// open after each reply and numbers the replies (<see cref="ClamdReplyParser.TryTakeSessionReply"/>).
    /// </summary>
    public static ReadOnlyMemory<byte> SessionInStream { get; } = new([.. Command("IDSESSION"), .. Command("INSTREAM")]);

    /// <summary>The zero-length chunk that tells clamd the stream is complete.</summary>
    public static ReadOnlyMemory<byte> EndOfStream { get; } = new byte[ChunkHeaderSize];

    /// <summary>Encodes <paramref name="name"/> as <c>z&lt;name&gt;\0</c>.</summary>
    public static byte[] Command(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A clamd command cannot contain NUL.", nameof(name));
        }

        return Encoding.ASCII.GetBytes($"z{name}\0");
    }

    /// <summary>Writes the length prefix of a chunk of <paramref name="length"/> bytes.</summary>
    public static void WriteChunkHeader(Span<byte> destination, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)length);
    }

    /// <summary>Reads the length prefix of a chunk (used by tests and the fake server).</summary>
    public static uint ReadChunkHeader(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt32BigEndian(source);
}
