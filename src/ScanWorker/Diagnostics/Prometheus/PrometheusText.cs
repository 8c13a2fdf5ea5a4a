using System.Globalization;
using System.Text;

namespace ScanWorker.Diagnostics.Prometheus;

/// <summary>
/// The Prometheus text exposition format 0.0.4, as pure functions: metric names, label escaping,
/// sample values. See https://prometheus.io/docs/instrumenting/exposition_formats/.
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>A valid metric or label name: anything outside <c>[a-zA-Z0-9_:]</c> becomes <c>_</c>; no leading digit.</summary>
    public static string Name(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var builder = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0]))
        {
            builder.Append('_');
        }

        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? c : '_');
        }

        return builder.ToString();
    }

    /// <summary>A label value inside double quotes: backslash, double quote and line feed are escaped.</summary>
    public static string LabelValue(string? value) =>
        (value ?? string.Empty).Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>HELP text: backslash and line feed are escaped.</summary>
    public static string Help(string? help) =>
        (help ?? string.Empty).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string Value(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary><c>{a="1",b="2"}</c>, or nothing for no labels.</summary>
    public static string Labels(IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count == 0)
        {
            return string.Empty;
        }

        return "{" + string.Join(",", labels.Select(label => $"{Name(label.Key)}=\"{LabelValue(label.Value)}\"")) + "}";
    }
}
