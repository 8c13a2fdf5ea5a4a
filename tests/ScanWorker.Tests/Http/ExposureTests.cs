using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Http;

/// <summary>What a stranger on the network reaches: management endpoints behind the key when asked, the cleartext port off or
/// on loopback when asked, and never clamd's address in an answer.</summary>
[RealServers]
public sealed class ExposureTests(TestServers servers)
{
    private static readonly string[] Management = ["/metrics", "/health/live", "/health/ready", "/version", "/"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task With_ProtectManagement_every_management_endpoint_needs_the_key_and_without_it_they_stay_open()
    {
        await using var guarded = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Messaging:Enabled"] = "false";
            settings["Http:ApiKeys:0"] = "management-key";
            settings["Http:ProtectManagement"] = "true";
        });
        await using var open = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Messaging:Enabled"] = "false";
            settings["Http:ApiKeys:0"] = "management-key";
        });
        using var guardedHttp = guarded.CreateHttpClient();
        using var openHttp = open.CreateHttpClient();

        foreach (var path in Management)
        {
            using var anonymous = await guardedHttp.GetAsync(path, Token);
            using var keyed = new HttpRequestMessage(HttpMethod.Get, path);
            keyed.Headers.Add("X-API-Key", "management-key");
            using var withKey = await guardedHttp.SendAsync(keyed, Token);
            using var unguarded = await openHttp.GetAsync(path, Token);

            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.NotEqual(HttpStatusCode.Unauthorized, withKey.StatusCode);
            Assert.NotEqual(HttpStatusCode.Unauthorized, unguarded.StatusCode);
        }

        // The image's HEALTHCHECK sends the worker's own key when the management endpoints are guarded.
        Assert.Equal(0, await HealthcheckAsync(guarded.BaseAddress.Port, ("Http__ProtectManagement", "true"), ("Http__ApiKeys__0", "management-key")));
        Assert.NotEqual(0, await HealthcheckAsync(guarded.BaseAddress.Port));
    }

    private static async Task<int> HealthcheckAsync(int port, params (string Name, string Value)[] environment)
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash", [RepositoryRoot.Combine("deploy", "healthcheck.sh"), port.ToString(CultureInfo.InvariantCulture), "/health/live"]);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var probe = System.Diagnostics.Process.Start(start)!;
        await probe.WaitForExitAsync(Token);
        return probe.ExitCode;
    }

    [Fact(Timeout = 120_000)]
    public async Task With_the_cleartext_port_off_only_TLS_answers_and_on_loopback_it_listens_on_127_0_0_1_only()
    {
        using var certificates = new TestCertificates();
        using var server = certificates.Issue("server", "localhost");
        var cleartext = FreePort.Next();
        var tls = FreePort.Next();
        await using var tlsOnly = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Messaging:Enabled"] = "false";
            settings["Http:Port"] = cleartext.ToString(CultureInfo.InvariantCulture);
            settings["Http:SslPort"] = tls.ToString(CultureInfo.InvariantCulture);
            settings["Http:SslCert"] = server.CertificateFile;
            settings["Http:SslKey"] = server.KeyFile;
            settings["Http:Cleartext"] = "Off";
        });
        await using var loopback = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Messaging:Enabled"] = "false";
            settings["Http:BindAddress"] = "0.0.0.0";
            settings["Http:Cleartext"] = "Loopback";
        });
        using var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == server.Certificate.GetCertHashString() },
        };
        using var https = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{tls}") };

        using var live = await https.GetAsync("/health/live", Token);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, cleartext, Token).AsTask());
        var addresses = loopback.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.All(addresses, address => Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal));
    }

    [Fact(Timeout = 120_000)]
    public async Task Answers_to_callers_never_carry_clamds_address()
    {
        var port = FreePort.Next();
        await using var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Messaging:Enabled"] = "false";
            settings["Clamd:Address"] = $"tcp://127.0.0.1:{port}";
            settings["Clamd:MaxConcurrentScans"] = "2";
        });
        using var http = worker.CreateHttpClient();

        var scan = await RestFacadeTests.PostFilesAsync(http, "/v2/scan", ("f", "a.txt", TestContent.CleanText));
        using var versionResponse = await http.GetAsync("/version", Token);
        var versionBody = await versionResponse.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, scan.Status);
        Assert.DoesNotContain(port.ToString(CultureInfo.InvariantCulture), scan.Body, StringComparison.Ordinal);
        Assert.Contains("clamd", scan.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, versionResponse.StatusCode);
        Assert.DoesNotContain(port.ToString(CultureInfo.InvariantCulture), versionBody, StringComparison.Ordinal);
    }
}
