using System.Collections;

namespace ScanWorker.Hosting;

/// <summary>
/// clamav-rest's environment variables, honoured so that its deployments can switch without edits.
/// An alias only fills a key that no other source sets: <c>Clamd__Address</c> beats <c>CLAMD_PORT</c>.
/// </summary>
public static class ClamavRestAliases
{
    /// <summary>Alias variable → configuration key.</summary>
    public static IReadOnlyDictionary<string, string> Map { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CLAMD_PORT"] = "Clamd:Address",
    };

    public static IConfigurationBuilder AddClamavRestAliases(this IConfigurationManager configuration, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, key) in Map)
        {
            if (environment[variable] is string value && !string.IsNullOrWhiteSpace(value) && configuration[key] is null)
            {
                values[key] = value;
            }
        }

        return values.Count == 0 ? configuration : configuration.AddInMemoryCollection(values);
    }
}
