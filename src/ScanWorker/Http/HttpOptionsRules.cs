using System.Net;
using Microsoft.Extensions.Options;

namespace ScanWorker.Http;

/// <summary>Rules the annotations cannot express (the ranges are <see cref="HttpOptionsValidator"/>'s).</summary>
internal sealed class HttpOptionsRules : IValidateOptions<HttpOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpOptions options)
    {
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            failures.Add($"Http:BindAddress '{options.BindAddress}' is not an IP address.");
        }

        if (options.SslPort != 0 && options.SslPort == options.Port)
        {
            failures.Add($"Http:SslPort (SSL_PORT) {options.SslPort} is the same as Http:Port.");
        }

        // An empty key would be matched by an empty Authorization header: refuse it rather than guess.
        if (options.ApiKeys.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add("Http:ApiKeys must not contain an empty key (remove it, or set a real one).");
        }

        if (options.Cleartext == CleartextMode.Off && (options.SslPort == 0 || !File.Exists(options.SslCert) || !File.Exists(options.SslKey)))
        {
            failures.Add($"Http:Cleartext=Off leaves nothing to listen on: it needs Http:SslPort with Http:SslCert and Http:SslKey files ({options.SslCert}, {options.SslKey}).");
        }

        if (options.ProtectManagement && options.ApiKeys.Count == 0)
        {
            failures.Add("Http:ProtectManagement needs Http:ApiKeys: with no key, nobody could read /metrics or /health.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
