using System.Buffers;
using System.Globalization;
using System.Text;

namespace ScanWorker.Diagnostics;

/// <summary>
/// Makes a log message safe to print: object keys, file names and paths come from whoever uploaded them, and a key
/// with a line break would add lines of its own to the log, an escape character would drive the terminal of whoever
/// reads it (<c>kubectl logs</c>), a bidirectional override would print it reversed. Such characters are written as
/// <c>\n</c>, <c>\r</c> or <c>\uXXXX</c>; everything else, a tab included, is left as it is.
/// </summary>
public static class LogText
{
    // Control characters (C0 but the tab, DEL, C1), the line and paragraph separators, and the bidirectional embeddings,
    // overrides and isolates.
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        [.. Enumerable.Range(0, 0x2070).Select(code => (char)code).Where(character => (char.IsControl(character) && character != '\t')
            || character is '\u2028' or '\u2029' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069'))]);

    /// <summary>The message itself when it holds nothing unsafe (no allocation), else its escaped copy.</summary>
    public static string Escape(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var first = message.AsSpan().IndexOfAny(Unsafe);
        if (first < 0)
        {
            return message;
        }

        var escaped = new StringBuilder(message.Length + 16).Append(message, 0, first);
        foreach (var character in message.AsSpan(first))
        {
            _ = character switch
            {
                '\n' => escaped.Append("\\n"),
                '\r' => escaped.Append("\\r"),
                _ when Unsafe.Contains(character) => escaped.Append("\\u").Append(((int)character).ToString("x4", CultureInfo.InvariantCulture)),
                _ => escaped.Append(character),
            };
        }

        return escaped.ToString();
    }
}
