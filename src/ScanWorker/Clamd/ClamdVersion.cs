using System.Globalization;
using System.Text.RegularExpressions;

namespace ScanWorker.Clamd;

/// <summary>
/// clamd's <c>VERSION</c> reply: <c>ClamAV 1.4.2/27826/Thu Nov 20 10:13:12 2025</c>, or just
/// <c>ClamAV 1.4.6</c> when no official database (CVD) is loaded.
/// </summary>
/// <param name="Engine">Engine version, e.g. <c>1.4.6</c>.</param>
/// <param name="SignatureVersion">daily database version; null when clamd does not say.</param>
/// <param name="SignatureDate">
/// Database build time. clamd prints it with <c>ctime()</c>, without a zone; it is read as UTC, which is
/// what the official images run in.
/// </param>
/// <param name="Raw">The reply as received.</param>
public sealed partial record ClamdVersion(string Engine, int? SignatureVersion, DateTimeOffset? SignatureDate, string Raw)
{
    private const string Prefix = "ClamAV ";

    public static bool TryParse(string reply, out ClamdVersion? version)
    {
        ArgumentNullException.ThrowIfNull(reply);
        version = null;
        var text = reply.TrimEnd('\0', '\n', '\r');
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text[Prefix.Length..].Split('/', 3);
        var engine = parts[0].Trim();
        if (engine.Length == 0 || engine.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }

        int? signatureVersion = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var db)
            ? db
            : null;
        var signatureDate = parts.Length > 2 ? ParseCTime(parts[2]) : null;
        version = new ClamdVersion(engine, signatureVersion, signatureDate, reply);
        return true;
    }

    private static DateTimeOffset? ParseCTime(string text)
    {
        // ctime pads the day with a space ("Nov  6"); collapse runs of spaces before parsing.
        var normalized = Spaces().Replace(text.Trim(), " ");
        return DateTimeOffset.TryParseExact(normalized, "ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : null;
    }

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();
}
