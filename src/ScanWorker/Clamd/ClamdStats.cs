using System.Globalization;
using System.Text.RegularExpressions;

namespace ScanWorker.Clamd;

/// <summary>
/// clamd's <c>STATS</c> reply. The raw lines are kept (clamav-rest's <c>GET /</c> returns them as they
/// are) next to the numbers the worker uses. clamd documents the format as subject to change, so every
/// number is optional.
/// </summary>
public sealed partial record ClamdStats
{
    public string Pools { get; init; } = string.Empty;

    public string StateLine { get; init; } = string.Empty;

    public string ThreadsLine { get; init; } = string.Empty;

    public string QueueLine { get; init; } = string.Empty;

    public string MemstatsLine { get; init; } = string.Empty;

    public int? ThreadsLive { get; init; }

    public int? ThreadsIdle { get; init; }

    public int? ThreadsMax { get; init; }

    public int? IdleTimeoutSeconds { get; init; }

    public int? QueueItems { get; init; }

    public required string Raw { get; init; }

    /// <summary>Parses a STATS block; false when it is not one (for example <c>COMMAND UNAVAILABLE</c>).</summary>
    public static bool TryParse(string reply, out ClamdStats? stats)
    {
        ArgumentNullException.ThrowIfNull(reply);
        stats = null;
        var lines = reply.TrimEnd('\0').Split('\n', StringSplitOptions.TrimEntries);
        if (!lines.Any(line => line == "END"))
        {
            return false;
        }

        var result = new ClamdStats { Raw = reply };
        foreach (var line in lines)
        {
            if (line.StartsWith("POOLS:", StringComparison.Ordinal))
            {
                result = result with { Pools = line["POOLS:".Length..].Trim() };
            }
            else if (line.StartsWith("STATE:", StringComparison.Ordinal))
            {
                result = result with { StateLine = line };
            }
            else if (line.StartsWith("THREADS:", StringComparison.Ordinal))
            {
                result = result with
                {
                    ThreadsLine = line,
                    ThreadsLive = Number(ThreadsLivePattern(), line),
                    ThreadsIdle = Number(ThreadsIdlePattern(), line),
                    ThreadsMax = Number(ThreadsMaxPattern(), line),
                    IdleTimeoutSeconds = Number(IdleTimeoutPattern(), line),
                };
            }
            else if (line.StartsWith("QUEUE:", StringComparison.Ordinal))
            {
                result = result with { QueueLine = line, QueueItems = Number(QueueItemsPattern(), line) };
            }
            else if (line.StartsWith("MEMSTATS:", StringComparison.Ordinal))
            {
                result = result with { MemstatsLine = line };
            }
        }

        stats = result;
        return true;
    }

    private static int? Number(Regex pattern, string line)
    {
        var match = pattern.Match(line);
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }

    [GeneratedRegex(@"\blive (\d+)")]
    private static partial Regex ThreadsLivePattern();

    [GeneratedRegex(@"\bidle (\d+)")]
    private static partial Regex ThreadsIdlePattern();

    [GeneratedRegex(@"\bmax (\d+)")]
    private static partial Regex ThreadsMaxPattern();

    [GeneratedRegex(@"\bidle-timeout (\d+)")]
    private static partial Regex IdleTimeoutPattern();

    [GeneratedRegex(@"^QUEUE: (\d+) items")]
    private static partial Regex QueueItemsPattern();
}
