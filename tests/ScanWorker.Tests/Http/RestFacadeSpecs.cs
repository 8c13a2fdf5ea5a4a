using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ScanWorker.Clamd;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Http;

/// <summary>
/// The REST facade's contract on the worker's own Program (WebApplicationFactory) with an in-process clamd: the fast tier's
/// copy of what RestFacadeTests checks on the built worker against a real clamd.
/// </summary>
public sealed class RestFacadeSpecs : IClassFixture<RestFacadeSpecs.Worker>
{
    private readonly Worker _worker;

    public RestFacadeSpecs(Worker worker)
    {
        _worker = worker;
        _worker.Clamd.RefusingScans = false;
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task V2_scan_answers_OK_for_a_clean_file_and_406_FOUND_for_an_infected_one()
    {
        using var http = _worker.CreateClient();

        var (cleanStatus, cleanBody) = await PostAsync(http, "/v2/scan", ("a.txt", TestContent.CleanText));
        var (infectedStatus, infectedBody) = await PostAsync(http, "/v2/scan", ("a.txt", TestContent.CleanText), ("e.com", TestContent.Eicar));

        Assert.Equal((HttpStatusCode.OK, """[{"Status":"OK","Description":"","FileName":"a.txt"}]"""), (cleanStatus, cleanBody));
        Assert.Equal(HttpStatusCode.NotAcceptable, infectedStatus);
        Assert.Equal(
            $$"""[{"Status":"OK","Description":"","FileName":"a.txt"},{"Status":"FOUND","Description":"{{InProcessClamdClient.Signature}}","FileName":"e.com"}]""",
            infectedBody);
    }

    [Fact]
    public async Task The_deprecated_scan_endpoint_is_counted_under_clamav_rest_s_name()
    {
        using var http = _worker.CreateClient();
        var before = await DeprecatedHitsAsync(http);

        var (status, _) = await PostAsync(http, "/scan", ("a.txt", TestContent.CleanText));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(before + 1, await DeprecatedHitsAsync(http));
    }

    [Fact]
    public async Task A_scanner_that_refuses_the_scan_is_never_OK()
    {
        using var http = _worker.CreateClient();
        _worker.Clamd.RefusingScans = true;

        var (status, body) = await PostAsync(http, "/v2/scan", ("a.txt", TestContent.CleanText));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.StartsWith("""[{"Status":"ERROR","Description":"clamd could not scan""", body, StringComparison.Ordinal);
    }

    private static async Task<double> DeprecatedHitsAsync(HttpClient http) =>
        PrometheusSample.Parse(await http.GetStringAsync("/metrics", Token))
            .Single(sample => sample.Name == "no_of_hits_on_deprecated_scan_endpoint").Value;

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient http, string path, params (string Name, byte[] Content)[] files)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", name);
        }

        using var response = await http.PostAsync(path, form, Token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Token));
    }

    /// <summary>The worker as a REST facade only (no queue), with the in-process clamd.</summary>
    public sealed class Worker : WebApplicationFactory<Program>
    {
        public InProcessClamdClient Clamd { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            ArgumentNullException.ThrowIfNull(builder);
            builder.UseSetting("Messaging:Enabled", "false");
            builder.UseSetting("Http:BindAddress", "127.0.0.1");
            builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<IClamdClient>(Clamd)));
        }
    }
}
