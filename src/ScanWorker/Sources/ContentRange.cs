using System.Globalization;

namespace ScanWorker.Sources;

/// <summary>An HTTP <c>Content-Range</c> of a satisfied range: <c>bytes FIRST-LAST/TOTAL</c> (RFC 9110 §14.4).</summary>
public readonly record struct ContentRange(long First, long Last, long Total)
{
    /// <summary>The part's length.</summary>
    public long Length => Last - First + 1;

    /// <summary>
    /// The range in <paramref name="header"/>, or null for anything else: no header, another unit, an unknown
    /// total (<c>*</c>), an unsatisfied range, or numbers that do not add up (last before first, past the total).
    /// </summary>
    public static ContentRange? Parse(string? header)
    {
        var value = header.AsSpan().Trim();
        if (!value.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        value = value[6..].TrimStart();
        var dash = value.IndexOf('-');
        var slash = value.IndexOf('/');
        if (dash <= 0 || slash <= dash + 1
            || !TryNumber(value[..dash], out var first)
            || !TryNumber(value[(dash + 1)..slash], out var last)
            || !TryNumber(value[(slash + 1)..], out var total))
        {
            return null;
        }

        return first <= last && last < total ? new ContentRange(first, last, total) : null;
    }

    private static bool TryNumber(ReadOnlySpan<char> digits, out long number) =>
        long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out number);
}
