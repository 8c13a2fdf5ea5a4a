using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Http;

/// <summary>Ports and protocols (h1 + h2c on one port, TLS with ALPN), CORS and API keys.</summary>
[RealServers]
public sealed class ProtocolAndAccessTests(TestServers servers)
{
    // Diagnostics/Log.cs: "HTTPS on port {Port} is off: {Reason}".
    private const int HttpsSkippedEventId = 4002;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task The_cleartext_port_serves_http1_and_h2c_with_prior_knowledge()
    {
        await using var worker = await StartAsync();

        var http1 = await ScanEicarAsync(worker.BaseAddress, HttpVersion.Version11);
        var h2c = await ScanEicarAsync(worker.BaseAddress, HttpVersion.Version20);

        Assert.Equal((HttpVersion.Version11, HttpStatusCode.NotAcceptable), http1);
        Assert.Equal((HttpVersion.Version20, HttpStatusCode.NotAcceptable), h2c);
    }

    [Fact(Timeout = 120_000)]
    public async Task The_tls_port_serves_http1_and_http2_by_alpn_with_the_pem_files()
    {
        var dir = Directory.CreateTempSubdirectory("scanworker-tls-");
        var thumbprint = WriteSelfSignedPem(Path.Combine(dir.FullName, "server.crt"), Path.Combine(dir.FullName, "server.key"));
        var sslPort = FreePort.Next();
        await using var worker = await StartAsync(settings =>
        {
            settings["Http:SslPort"] = sslPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Http:SslCert"] = Path.Combine(dir.FullName, "server.crt");
            settings["Http:SslKey"] = Path.Combine(dir.FullName, "server.key");
        });
        var https = new Uri($"https://127.0.0.1:{sslPort}/");

        var http1 = await ScanEicarAsync(https, HttpVersion.Version11, thumbprint);
        var http2 = await ScanEicarAsync(https, HttpVersion.Version20, thumbprint);

        Assert.Equal((HttpVersion.Version11, HttpStatusCode.NotAcceptable), http1);
        Assert.Equal((HttpVersion.Version20, HttpStatusCode.NotAcceptable), http2);
        dir.Delete(recursive: true);
    }

    [Fact(Timeout = 120_000)]
    public async Task Missing_pem_files_skip_https_with_one_log_line()
    {
        await using var worker = await StartAsync(settings =>
        {
            settings["Http:SslPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Http:SslCert"] = "/nonexistent/server.crt";
        });

        Assert.Single(worker.Logs.Events, e => e.EventId == HttpsSkippedEventId);
        Assert.Equal((HttpVersion.Version11, HttpStatusCode.NotAcceptable), await ScanEicarAsync(worker.BaseAddress, HttpVersion.Version11));
    }

    [Fact(Timeout = 120_000)]
    public async Task Cross_origin_access_is_refused_unless_allowed()
    {
        await using var closed = await StartAsync();
        await using var open = await StartAsync(settings => settings["Http:AllowOrigins"] = "https://app.example;https://other.example");

        var refused = await PreflightAsync(closed.BaseAddress, "https://app.example");
        var allowed = await PreflightAsync(open.BaseAddress, "https://app.example");
        var foreign = await PreflightAsync(open.BaseAddress, "https://evil.example");

        Assert.Null(refused);
        Assert.Equal("https://app.example", allowed);
        Assert.Null(foreign);
    }

    [Fact(Timeout = 120_000)]
    public async Task Api_keys_when_configured_are_required_on_scan_endpoints()
    {
        await using var worker = await StartAsync(settings => settings["Http:ApiKeys:0"] = "s3cret-key");
        using var http = worker.CreateHttpClient();

        var missing = await RestFacadeTests.PostBodyAsync(http, TestContent.Eicar);
        http.DefaultRequestHeaders.Add("X-API-Key", "wrong");
        var wrong = await RestFacadeTests.PostBodyAsync(http, TestContent.Eicar);
        http.DefaultRequestHeaders.Remove("X-API-Key");
        http.DefaultRequestHeaders.Add("X-API-Key", "s3cret-key");
        var header = await RestFacadeTests.PostBodyAsync(http, TestContent.Eicar);
        http.DefaultRequestHeaders.Remove("X-API-Key");
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret-key");
        var bearer = await RestFacadeTests.PostBodyAsync(http, TestContent.Eicar);
        http.DefaultRequestHeaders.Authorization = null;
        using var health = await http.GetAsync("/health/live", Token);

        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        Assert.StartsWith("""{"Status":"ERROR","Description":"an API key is required""", missing.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal(HttpStatusCode.NotAcceptable, header.Status);
        Assert.Equal(HttpStatusCode.NotAcceptable, bearer.Status);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private Task<WorkerHost> StartAsync(Action<Dictionary<string, string?>>? configure = null) =>
        WorkerHost.StartAsync(servers, settings =>
        {
            settings["Messaging:Enabled"] = "false";
            configure?.Invoke(settings);
        });

    private static async Task<(Version Version, HttpStatusCode Status)> ScanEicarAsync(Uri baseAddress, Version version,
        string? pinnedThumbprint = null)
    {
        // The test certificate is self-signed: trust exactly it, by its thumbprint.
        using var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == pinnedThumbprint },
        };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var content = RestFacadeTests.Multipart(("file", "eicar.com", TestContent.Eicar));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/scan")
        {
            Content = content,
            Version = version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await http.SendAsync(request, Token);
        return (response.Version, response.StatusCode);
    }

    private static async Task<string?> PreflightAsync(Uri baseAddress, string origin)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v2/scan");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await http.SendAsync(request, Token);
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
    }

    private static string WriteSelfSignedPem(string certPath, string keyPath)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return certificate.GetCertHashString();
    }
}
