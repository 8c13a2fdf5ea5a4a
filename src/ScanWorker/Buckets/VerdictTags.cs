using System.Globalization;
using System.Text;
using ScanWorker.Scanning;

namespace ScanWorker.Buckets;

/// <summary>
/// The tags a verdict writes onto an object, and how they join the tags already there. Pure, so the
/// rules are tested on values: the user's tags are never dropped, S3's limit of 10 tags per object holds,
/// and when space is short the least useful of ours go first (time, then engine).
/// </summary>
public static class VerdictTags
{
    /// <summary>S3's limit of tags per object (AWS, MinIO and Ceph alike).</summary>
    public const int MaxTagsPerObject = 10;

    private const int MaxValueLength = 256;

    public static string StatusKey(string prefix) => prefix + "status";

    public static string EngineKey(string prefix) => prefix + "engine";

    /// <summary>Our tags for <paramref name="outcome"/>, most important first.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> For(ScanOutcome outcome, DateTimeOffset at, string prefix)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var tags = new List<KeyValuePair<string, string>>();
        tags.Add(new(StatusKey(prefix), outcome.Verdict switch
        {
            ScanVerdict.Clean => "clean",
            ScanVerdict.Infected => "infected",
            _ => "error",
        }));
        if (outcome.Verdict == ScanVerdict.Infected)
        {
            tags.Add(new(prefix + "signature", Value(string.Join(' ', outcome.Signatures))));
        }
        else if (outcome.Reason is { } reason)
        {
            tags.Add(new(prefix + "reason", reason.ToString()));
        }

        if (outcome.Engine is { } engine)
        {
            tags.Add(new(EngineKey(prefix), Value(engine.SignatureVersion is { } version ? $"{engine.Engine}/{version}" : engine.Engine)));
        }

        tags.Add(new(prefix + "time", at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        return tags;
    }

    /// <summary>
    /// The user's tags unchanged, then ours in order of importance while they fit. Every earlier tag of ours
    /// (our prefix) is replaced, so an object rescanned clean loses its old signature.
    /// </summary>
    /// <exception cref="InvalidOperationException">The user's tags leave no room even for the status.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Merge(IEnumerable<KeyValuePair<string, string>> existing,
        IReadOnlyList<KeyValuePair<string, string>> ours, string prefix)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(ours);
        var merged = existing.Where(tag => !tag.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var room = MaxTagsPerObject - merged.Count;
        if (room < 1)
        {
            throw new InvalidOperationException(
                $"the object already has {merged.Count} tags of its own; S3 allows {MaxTagsPerObject}, so the verdict cannot be added without dropping one");
        }

        merged.AddRange(ours.Take(room));
        return merged;
    }

    /// <summary>The signature version our engine tag recorded (<c>ClamAV 1.4.6/27500</c> → 27500), if any.</summary>
    public static int? SignatureVersion(IEnumerable<KeyValuePair<string, string>> tags, string prefix)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var engine = tags.FirstOrDefault(tag => tag.Key == EngineKey(prefix)).Value;
        var slash = engine?.LastIndexOf('/') ?? -1;
        return slash >= 0 && int.TryParse(engine.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : null;
    }

    /// <summary>S3 tag values allow letters, digits, spaces and <c>+ - = . _ : / @</c>, up to 256 characters.</summary>
    public static string Value(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = new StringBuilder(Math.Min(text.Length, MaxValueLength));
        foreach (var c in text)
        {
            if (value.Length == MaxValueLength)
            {
                break;
            }

            value.Append(char.IsLetterOrDigit(c) || c == ' ' || "+-=._:/@".Contains(c, StringComparison.Ordinal) ? c : '_');
        }

        return value.ToString();
    }
}
