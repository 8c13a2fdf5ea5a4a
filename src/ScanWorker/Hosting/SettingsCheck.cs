using System.Collections;
using System.ComponentModel;
using System.Reflection;
using MassTransit;
using ScanWorker.Buckets;
using ScanWorker.Clamd;
using ScanWorker.Diagnostics;
using ScanWorker.Http;
using ScanWorker.Messaging;
using ScanWorker.Scanning;
using ScanWorker.Sources;

namespace ScanWorker.Hosting;

/// <summary>
/// Reads every setting of ScanWorker's own sections before anything is bound, so that a value that cannot be read stops
/// start-up with one plain line per problem (the key as the user wrote it, alias included, the value, the accepted form)
/// instead of an exception, and a key no option has (a typo) is named with the nearest known one.
/// </summary>
public static class SettingsCheck
{
    /// <summary>Every configuration section the worker binds (<c>Clamd:Canary</c> as its own), and the options read from it.</summary>
    public static readonly IReadOnlyList<(string Section, Type[] Options)> Sections =
    [
        (ClamdOptions.SectionName, [typeof(ClamdOptions)]),
        (EngineCanaryOptions.SectionName, [typeof(EngineCanaryOptions)]),
        (MessagingOptions.SectionName, [typeof(MessagingOptions)]),
        ("RabbitMq", [typeof(RabbitMqTransportOptions), typeof(BrokerClusterOptions), typeof(BrokerTlsOptions)]),
        (S3Options.SectionName, [typeof(S3Options)]),
        (MountOptions.SectionName, [typeof(MountOptions)]),
        (ScanningOptions.SectionName, [typeof(ScanningOptions)]),
        (HttpOptions.SectionName, [typeof(HttpOptions)]),
        (BucketEventsOptions.SectionName, [typeof(BucketEventsOptions)]),
        (OtlpOptions.SectionName, [typeof(OtlpOptions)]),
    ];

    /// <summary>Every options class bound from these sections.</summary>
    public static IEnumerable<Type> OptionsTypes => Sections.SelectMany(section => section.Options);

    /// <summary>Problems that stop start-up, and warnings (unknown keys) that do not.</summary>
    public sealed record Report(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings);

    public static Report Check(IConfiguration configuration, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var errors = new List<string>();
        var warnings = new List<string>();
        foreach (var (section, types) in Sections)
        {
            var properties = types.SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                .GroupBy(property => property.Name, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(group => group.Key, group => group.First(), StringComparer.OrdinalIgnoreCase);
            var subsections = Sections.Select(other => other.Section)
                .Where(other => other.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase))
                .Select(other => other[(section.Length + 1)..])
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var child in configuration.GetSection(section).GetChildren())
            {
                if (subsections.Contains(child.Key))
                {
                    continue;
                }

                if (!properties.TryGetValue(child.Key, out var property))
                {
                    warnings.Add(Unknown(child.Path, properties.Keys.Concat(subsections), environment));
                }
                else if (child.Value is { } value && Problem(property, value) is { } form)
                {
                    errors.Add($"{WrittenAs(child.Path, environment)}={value} is not valid: expected {form}");
                }
            }
        }

        return new Report(errors, warnings);
    }

    /// <summary>
    /// A data-annotation failure ("ChunkSize: The field ClamdOptions.ChunkSize must be between 1024 and 4194304.") in the
    /// user's words: "Clamd__ChunkSize=10 must be between 1024 and 4194304."; any other text is returned as it is.
    /// </summary>
    public static string Explain(string failure, IConfiguration configuration, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(configuration);
        var match = System.Text.RegularExpressions.Regex.Match(failure, @"^\w+: The field (\w+)\.(\w+) (.*)$");
        if (!match.Success || Sections.FirstOrDefault(entry => entry.Options.Any(type => type.Name == match.Groups[1].Value)) is not { Section: { } section })
        {
            return failure;
        }

        var path = $"{section}:{match.Groups[2].Value}";
        return $"{WrittenAs(path, environment)}={configuration[path]} {match.Groups[3].Value}";
    }

    /// <summary>The accepted form when <paramref name="value"/> cannot become the property's type; null when it can.</summary>
    private static string? Problem(PropertyInfo property, string value)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type == typeof(string) || (typeof(IEnumerable).IsAssignableFrom(type) && type != typeof(string)))
        {
            return null;
        }

        if (type == typeof(long) && property.Name == nameof(HttpOptions.MaxFileSize))
        {
            return SizeText.TryParse(value, out _) ? null : "a size in bytes (26214400) or as clamd writes it (25M, 1G)";
        }

        try
        {
            _ = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return null;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or NotSupportedException or OverflowException
            || exception.InnerException is FormatException or OverflowException)
        {
            return Form(type);
        }
    }

    private static string Form(Type type) => type switch
    {
        _ when type == typeof(TimeSpan) => "a time span such as 00:00:30 (hh:mm:ss) or 1.00:00:00 (d.hh:mm:ss)",
        _ when type == typeof(bool) => "true or false",
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type)),
        _ when type == typeof(int) || type == typeof(long) || type == typeof(ushort) => "a whole number",
        _ => $"a {type.Name}",
    };

    private static string Unknown(string path, IEnumerable<string> known, IDictionary environment)
    {
        var written = WrittenAs(path, environment);
        var key = path[(path.LastIndexOf(':') + 1)..];
        // A name that begins the other ("Passwrd" for "Pass") counts as one edit away.
        var nearest = known.Select(name => (Name: name, Distance: key.StartsWith(name, StringComparison.OrdinalIgnoreCase)
                || name.StartsWith(key, StringComparison.OrdinalIgnoreCase) ? 1 : Distance(key.ToUpperInvariant(), name.ToUpperInvariant())))
            .OrderBy(candidate => candidate.Distance)
            .FirstOrDefault();
        var section = path[..path.LastIndexOf(':')].Replace(":", "__", StringComparison.Ordinal);
        return nearest.Name is not null && nearest.Distance <= Math.Max(2, key.Length / 3)
            ? $"{written} is not a ScanWorker setting and is ignored; did you mean {section}__{nearest.Name}?"
            : $"{written} is not a ScanWorker setting and is ignored (docs/configuration.md lists the keys of {section})";
    }

    /// <summary>The name the user set: a clamav-rest alias (MAX_FILE_SIZE) when that is where the value came from, else the environment form.</summary>
    private static string WrittenAs(string path, IDictionary environment)
    {
        var variable = path.Replace(":", "__", StringComparison.Ordinal);
        var alias = ClamavRestAliases.Map.FirstOrDefault(entry => string.Equals(entry.Key, path, StringComparison.OrdinalIgnoreCase));
        return alias.Variable is not null && environment[alias.Variable] is string && environment[variable] is null
            ? $"{alias.Variable} ({variable})"
            : variable;
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
