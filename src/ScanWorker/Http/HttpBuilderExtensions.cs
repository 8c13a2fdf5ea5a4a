using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using ScanWorker.Diagnostics;

namespace ScanWorker.Http;

public static class HttpBuilderExtensions
{
    public const string ScanTimeoutPolicy = "scan";
    public const string CorsPolicy = "clamav-rest";

    /// <summary>The clamav-rest facade: Kestrel ports and protocols, CORS, request timeouts, the scanner.</summary>
    public static WebApplicationBuilder AddHttpFacade(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<HttpOptions>().BindConfiguration(HttpOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HttpOptions>, HttpOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<HttpOptions>, HttpOptionsRules>();
        builder.Services.AddSingleton<RestScan>();
        builder.Services.AddSingleton(services =>
        {
            var http = services.GetRequiredService<IOptions<HttpOptions>>().Value;
            var scanning = services.GetRequiredService<IOptions<ScanWorker.Scanning.ScanningOptions>>().Value;
            return new UploadLimits(http.MaxFileSize ?? scanning.MaxObjectBytes, http.MaxRequestBytes, http.MaxParts);
        });
        builder.Services.AddSingleton<ScanRoots>();
        // The scan policy's timeout is Http:RequestTimeout, known once the options are bound.
        builder.Services.AddRequestTimeouts();
        builder.Services.AddOptions<Microsoft.AspNetCore.Http.Timeouts.RequestTimeoutOptions>()
            .Configure<IOptions<HttpOptions>>((timeouts, http) => timeouts.AddPolicy(ScanTimeoutPolicy, http.Value.RequestTimeout));
        builder.Services.AddCors();
        builder.Services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<HttpOptions>>((cors, http) => cors.AddPolicy(CorsPolicy, policy =>
            {
                var origins = (http.Value.AllowOrigins ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (origins.Contains("*"))
                {
                    policy.AllowAnyOrigin();
                }
                else
                {
                    policy.WithOrigins(origins);
                }

                policy.WithMethods("GET", "POST", "OPTIONS").WithHeaders("Content-Type", "Accept-Language", "Accept", "Authorization", "X-API-Key");
            }));
        builder.WebHost.ConfigureKestrel((context, kestrel) => Listen(kestrel));
        return builder;
    }

    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope",
        Justification = "The certificate serves the TLS endpoint for the life of the process.")]
    private static void Listen(KestrelServerOptions kestrel)
    {
        var http = kestrel.ApplicationServices.GetRequiredService<IOptions<HttpOptions>>().Value;
        var logger = kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HttpBuilderExtensions));
        var address = IPAddress.Parse(http.BindAddress);
        // An h2c client sends ":scheme http" on a connection the detection marks as HTTP/2 (see CleartextHttp2Detection).
        kestrel.AllowAlternateSchemes = true;
        kestrel.Limits.MaxConcurrentConnections = http.MaxConnections;
        kestrel.Limits.RequestHeadersTimeout = http.HeadersTimeout;
        if (http.Cleartext != CleartextMode.Off)
        {
            kestrel.Listen(http.Cleartext == CleartextMode.Loopback ? IPAddress.Loopback : address, http.Port, listen =>
            {
                // Kestrel warns at start (event 64) that HTTP/2 needs TLS here; the detection below makes that untrue.
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.Use(CleartextHttp2Detection.Middleware(http.HeadersTimeout));
            });
        }
        var sslPort = http.SslPort;
        if (sslPort == 0)
        {
            return;
        }

        if (!File.Exists(http.SslCert) || !File.Exists(http.SslKey))
        {
            logger.HttpsSkipped(sslPort, $"certificate {http.SslCert} or key {http.SslKey} not found");
            return;
        }

        var certificate = X509Certificate2.CreateFromPemFile(http.SslCert, http.SslKey);
        kestrel.Listen(address, sslPort, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(certificate);
        });
    }
}
