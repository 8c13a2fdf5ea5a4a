using System.Buffers;
using System.Text;
using ScanWorker.Buckets;
using ScanWorker.Clamd;
using ScanWorker.Http;
using ScanWorker.Messaging;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Fuzz;

/// <summary>
/// One target per byte parser that meets input from outside: clamd's replies, bucket notifications, the scan-id
/// sniffer of unreadable messages, the HTTP/2 preface detection. Each may refuse its input only in the documented
/// way; any other exception is a crash (for AFL, and for the test that replays the corpus).
/// </summary>
public static class FuzzTargets
{
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["clamd-reply"] = ClamdReply,
        ["bucket-event"] = BucketEvent,
        ["scan-id"] = bytes => ScanIdSniffer.Find(bytes),
        ["h2-preface"] = Http2PrefaceSplit,
    };

    /// <summary>
    /// A reply as it comes off the socket: read up to the NUL, then parsed as a scan reply (alone and as a session's
    /// numbered reply), a VERSION and a STATS.
    /// </summary>
    private static void ClamdReply(byte[] bytes)
    {
        string line;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            // A MemoryStream completes synchronously, so this does not block.
            line = ClamdReplyReader.ReadAsync(stream, 4096, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException)
        {
            line = Encoding.UTF8.GetString(bytes);
        }

        _ = ClamdReplyParser.ParseScanReply(line);
        // Inside an IDSESSION the reply must carry its request's id (the corpus has replies to requests 1 to 3).
        for (var requestId = 1; requestId <= 3; requestId++)
        {
            if (ClamdReplyParser.TryTakeSessionReply(line, requestId, out var ownReply))
            {
                _ = ClamdReplyParser.ParseScanReply(ownReply);
            }
        }

        _ = ClamdVersion.TryParse(line, out _);
        _ = ClamdStats.TryParse(line, out _);
    }

    private static void BucketEvent(byte[] bytes)
    {
        try
        {
            _ = BucketEventParser.Parse(bytes);
        }
        catch (BucketEventFormatException)
        {
            // The documented refusal: the message goes to the error queue.
        }
    }

    /// <summary>The first bytes of a connection, arriving in two pieces split where the first byte says.</summary>
    private static void Http2PrefaceSplit(byte[] bytes)
    {
        _ = Http2Preface.Classify(new ReadOnlySequence<byte>(bytes));
        if (bytes.Length > 1)
        {
            var split = 1 + (bytes[0] % (bytes.Length - 1));
            var first = new SequenceSegment(bytes.AsMemory(0, split));
            var last = first.Append(bytes.AsMemory(split));
            _ = Http2Preface.Classify(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));
        }
    }
}
