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
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"
        + "\u007f\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c\u008d\u008e\u008f"
        + "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a\u009b\u009c\u009d\u009e\u009f"
        + "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069");

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
