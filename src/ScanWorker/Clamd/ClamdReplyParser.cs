using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ScanWorker.Clamd;

/// <summary>
/// Classifies one INSTREAM reply line. Pure: no I/O. The line is read from its end, because the
/// status word is last and the part before it (a path, in other commands) may itself contain ": ".
/// </summary>
public static class ClamdReplyParser
{
    private const string FoundSuffix = " FOUND";
    private const string ErrorSuffix = " ERROR";
    private const string OkSuffix = ": OK";
    private const string PathSeparator = ": ";
    private const string LimitsExceededPrefix = "Heuristics.Limits.Exceeded.";
    private const string SizeLimitExceeded = "INSTREAM size limit exceeded.";
    private const string CommandUnavailable = "COMMAND UNAVAILABLE";

    public static ClamdReply ParseScanReply(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var raw = line;
        var text = line.TrimEnd('\0', '\n', '\r');

        if (text.EndsWith(OkSuffix, StringComparison.Ordinal) && text.Length > OkSuffix.Length)
        {
            return new ClamdReply.Clean(raw);
        }

        if (text.EndsWith(FoundSuffix, StringComparison.Ordinal))
        {
            var body = text[..^FoundSuffix.Length];
            var separator = body.LastIndexOf(PathSeparator, StringComparison.Ordinal);
            var signature = separator < 0 ? string.Empty : body[(separator + PathSeparator.Length)..].Trim();
            if (signature.Length == 0 || signature.Contains(' ', StringComparison.Ordinal))
            {
                return new ClamdReply.Unparseable(raw);
            }

            return signature.StartsWith(LimitsExceededPrefix, StringComparison.Ordinal)
                ? new ClamdReply.LimitsExceeded(raw, signature)
                : new ClamdReply.Infected(raw, [signature]);
        }

        if (text.EndsWith(ErrorSuffix, StringComparison.Ordinal))
        {
            var message = text[..^ErrorSuffix.Length].Trim();
            if (message.StartsWith(SizeLimitExceeded, StringComparison.Ordinal))
            {
                return new ClamdReply.TooLarge(raw);
            }

            return new ClamdReply.Failed(raw, StripStreamPrefix(message));
        }

        return text == CommandUnavailable
            ? new ClamdReply.Failed(raw, CommandUnavailable)
            : new ClamdReply.Unparseable(raw);
    }

    /// <summary>
    /// Takes the reply to request <paramref name="requestId"/> of an IDSESSION, where clamd writes
    /// <c>&lt;id&gt;: &lt;reply&gt;</c>. False when the line does not carry exactly that id: the reply then belongs to no
    /// scan of ours and must never be read as a verdict.
    /// </summary>
    public static bool TryTakeSessionReply(string line, int requestId, [NotNullWhen(true)] out string? reply)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentOutOfRangeException.ThrowIfLessThan(requestId, 1);
        var prefix = requestId.ToString(CultureInfo.InvariantCulture) + PathSeparator;
        reply = line.StartsWith(prefix, StringComparison.Ordinal) ? line[prefix.Length..] : null;
        return reply is not null;
    }

    private static string StripStreamPrefix(string message)
    {
        const string streamPrefix = "stream: ";
        return message.StartsWith(streamPrefix, StringComparison.Ordinal) ? message[streamPrefix.Length..] : message;
    }
}
