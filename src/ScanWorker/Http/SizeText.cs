using System.Globalization;

namespace ScanWorker.Http;

/// <summary>clamd-style sizes: <c>25M</c>, <c>512K</c>, <c>1G</c> (powers of 1024) or plain bytes.</summary>
public static class SizeText
{
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var multiplier = char.ToUpperInvariant(value[^1]) switch
        {
            'K' => 1024L,
            'M' => 1024L * 1024,
            'G' => 1024L * 1024 * 1024,
            _ => 1L,
        };
        var digits = multiplier == 1 ? value : value[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            return false;
        }

        bytes = checked(number * multiplier);
        return true;
    }
}
