using System.Buffers;

namespace ScanWorker.Http;

/// <summary>
/// Recognises the connection preface every HTTP/2 client sends first when it speaks cleartext HTTP/2
/// with prior knowledge (RFC 9113 §3.4). Pure: looks at bytes only.
/// </summary>
public static class Http2Preface
{
    public enum Verdict
    {
        /// <summary>The bytes so far match the start of the preface; more are needed.</summary>
        NeedMoreData,
        Http2,
        Http1,
    }

    public static ReadOnlySpan<byte> Bytes => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public static Verdict Classify(ReadOnlySequence<byte> received)
    {
        Span<byte> start = stackalloc byte[Bytes.Length];
        var length = (int)Math.Min(received.Length, Bytes.Length);
        received.Slice(0, length).CopyTo(start);
        if (!Bytes[..length].SequenceEqual(start[..length]))
        {
            return Verdict.Http1;
        }

        return length == Bytes.Length ? Verdict.Http2 : Verdict.NeedMoreData;
    }
}
