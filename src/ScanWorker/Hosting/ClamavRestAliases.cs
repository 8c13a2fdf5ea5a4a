using System.Collections;

namespace ScanWorker.Hosting;

/// <summary>
/// clamav-rest's environment variables, honoured so that its deployments can switch without edits.
/// An alias only fills a key that no other source sets: <c>Clamd__Address</c> beats <c>CLAMD_PORT</c>.
/// </summary>
public static class ClamavRestAliases
{
    /// <summary>Alias variable → configuration key, with the conversion its value needs.</summary>
    public static IReadOnlyList<(string Variable, string Key, Func<string, string> Convert)> Map { get; } =
    [
        ("CLAMD_PORT", "Clamd:Address", value => value),
        ("PORT", "Http:Port", value => value),
        // clamav-rest disables TLS with an empty SSL_PORT; here that is port 0.
        ("SSL_PORT", "Http:SslPort", value => value.Length == 0 ? "0" : value),
        ("SSL_CERT", "Http:SslCert", value => value),
        ("SSL_KEY", "Http:SslKey", value => value),
        // clamd's size form (25M) becomes bytes; anything unreadable is passed on for validation to reject.
        ("MAX_FILE_SIZE", "Http:MaxFileSize", value => ScanWorker.Http.SizeText.TryParse(value, out var bytes)
            ? bytes.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : value),
        ("ALLOW_ORIGINS", "Http:AllowOrigins", value => value),
    ];

    public static IConfigurationBuilder AddClamavRestAliases(this IConfigurationManager configuration, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, key, convert) in Map)
        {
            if (environment[variable] is string value && configuration[key] is null
                && (value.Length > 0 || variable is "SSL_PORT" or "ALLOW_ORIGINS"))
            {
                values[key] = convert(value);
            }
        }

        return values.Count == 0 ? configuration : configuration.AddInMemoryCollection(values);
    }
}
