using System.Net;
using Microsoft.Extensions.Options;

namespace ScanWorker.Http;

internal sealed class HttpOptionsValidator : IValidateOptions<HttpOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpOptions options)
    {
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            failures.Add($"Http:BindAddress '{options.BindAddress}' is not an IP address.");
        }

        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"Http:Port (PORT) {options.Port} is not a port.");
        }

        if (options.SslPort is < 0 or > 65535 || (options.SslPort != 0 && options.SslPort == options.Port))
        {
            failures.Add($"Http:SslPort (SSL_PORT) {options.SslPort} is not a port, or is the same as Http:Port.");
        }

        if (options.MaxFileSize is <= 0)
        {
            failures.Add("Http:MaxFileSize (MAX_FILE_SIZE) must be positive, e.g. 25M.");
        }

        if (options.MaxRequestBytes <= 0)
        {
            failures.Add("Http:MaxRequestBytes must be positive.");
        }

        if (options.MaxParts <= 0 || options.MaxConnections <= 0)
        {
            failures.Add("Http:MaxParts and Http:MaxConnections must be positive.");
        }

        if (options.ScanPathMaxEntries <= 0 || options.ScanPathMaxDepth <= 0 || options.ScanPathTimeout <= TimeSpan.Zero)
        {
            failures.Add("Http:ScanPathMaxEntries, Http:ScanPathMaxDepth and Http:ScanPathTimeout must be positive.");
        }

        if (options.HeadersTimeout <= TimeSpan.Zero)
        {
            failures.Add("Http:HeadersTimeout must be positive.");
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

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add("Http:RequestTimeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
