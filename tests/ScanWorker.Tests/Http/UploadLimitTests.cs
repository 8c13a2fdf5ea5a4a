using System.Globalization;
using System.Net;
using ScanWorker.Tests.Infrastructure;
using static ScanWorker.Tests.Http.RestFacadeTests;

namespace ScanWorker.Tests.Http;

/// <summary>
/// The facade's two limits, as clamav-rest users expect them: <c>MAX_FILE_SIZE</c> per file (an oversize part gets
/// its 413 element and the parts after it are still scanned), and a separate cap on the whole request.
/// </summary>
[RealServers]
public sealed class UploadLimitTests(TestServers servers)
{
    private const int FileLimit = 1024 * 1024;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task Three_files_each_under_the_file_limit_are_scanned_even_when_the_request_is_larger()
    {
        await using var worker = await StartAsync();
        using var http = worker.CreateHttpClient();
        var part = new byte[900 * 1000];

        var (status, body) = await PostFilesAsync(http, "/v2/scan", ("f1", "a.bin", part), ("f2", "b.bin", part), ("f3", "c.bin", part));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""
            [{"Status":"OK","Description":"","FileName":"a.bin"},{"Status":"OK","Description":"","FileName":"b.bin"},{"Status":"OK","Description":"","FileName":"c.bin"}]
            """, body);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_file_over_the_limit_gets_its_413_and_the_infected_file_after_it_is_still_found()
    {
        await using var worker = await StartAsync();
        using var http = worker.CreateHttpClient();

        var v2 = await PostFilesAsync(http, "/v2/scan", ("f1", "big.bin", new byte[FileLimit + 1]), ("f2", "e.com", TestContent.Eicar));
        var v1 = await PostFilesAsync(http, "/scan", ("f1", "big.bin", new byte[FileLimit + 1]), ("f2", "e.com", TestContent.Eicar));
        var cleanAfter = await PostFilesAsync(http, "/v2/scan", ("f1", "big.bin", new byte[FileLimit + 1]), ("f2", "a.txt", TestContent.CleanText));

        Assert.Equal(HttpStatusCode.NotAcceptable, v2.Status);
        Assert.StartsWith("""[{"Status":"PARSE ERROR","Description":"File size limit exceeded","FileName":"big.bin"},{"Status":"FOUND",""",
            v2.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotAcceptable, v1.Status);
        Assert.StartsWith("""{"Status":"PARSE ERROR","Description":"File size limit exceeded"}{"Status":"FOUND",""", v1.Body, StringComparison.Ordinal);
        // The last non-200 code wins when nothing was found.
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, cleanAfter.Status);
        Assert.EndsWith("""{"Status":"OK","Description":"","FileName":"a.txt"}]""", cleanAfter.Body, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_request_over_the_request_cap_is_413_and_on_v2_always_an_array()
    {
        await using var worker = await StartAsync(settings => settings["Http:MaxRequestBytes"] = "500000");
        using var http = worker.CreateHttpClient();

        var declared = await PostFilesAsync(http, "/v2/scan", ("f1", "a.bin", new byte[300_000]), ("f2", "b.bin", new byte[300_000]));
        var declaredV1 = await PostFilesAsync(http, "/scan", ("f1", "a.bin", new byte[600_000]));
        using var chunkedForm = Multipart(("f1", "a.txt", TestContent.CleanText), ("f2", "b.bin", new byte[600_000]));
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/v2/scan") { Content = chunkedForm };
        chunked.Headers.TransferEncodingChunked = true;
        chunkedForm.Headers.ContentLength = null;
        using var chunkedResponse = await http.SendAsync(chunked, Token);
        var chunkedBody = await chunkedResponse.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.Status);
        Assert.StartsWith("""[{"Status":"PARSE ERROR","Description":"Request size limit exceeded""", declared.Body, StringComparison.Ordinal);
        Assert.EndsWith("}]", declared.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declaredV1.Status);
        Assert.StartsWith("""{"Status":"PARSE ERROR","Description":"Request size limit exceeded""", declaredV1.Body, StringComparison.Ordinal);
        // Streamed without a length: the first part is answered, then the cap ends the request.
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunkedResponse.StatusCode);
        Assert.StartsWith("""[{"Status":"OK","Description":"","FileName":"a.txt"},{"Status":"PARSE ERROR","Description":"Request size limit exceeded""",
            chunkedBody, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_server_file_that_shrinks_while_it_is_read_is_never_clean()
    {
        // clamd says OK to whatever it got; only the length check can tell that part of the file never arrived.
        var root = Directory.CreateTempSubdirectory("scanworker-shrinking-").FullName;
        var path = Path.Combine(root, "shrinking.bin");
        await using (var file = File.Create(path))
        {
            file.SetLength(64L * 1024 * 1024);
        }

        await using var clamd = FakeClamd.Start(async (connection, cancellationToken) =>
        {
            await connection.ReadCommandAsync(cancellationToken);
            await connection.ReadChunkAsync(cancellationToken);
            await using (var shrink = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            {
                shrink.SetLength(64 * 1024);
            }

            while (await connection.ReadChunkAsync(cancellationToken) > 0)
            {
            }

            await connection.ReplyAsync("stream: OK", cancellationToken);
        });
        await using var worker = await StartAsync(settings =>
        {
            settings["Clamd:Address"] = clamd.Address.ToString();
            settings["Clamd:Canary:Enabled"] = "false";
            settings["Clamd:MaxConcurrentScans"] = "1";
            settings["Http:MaxFileSize"] = (128L * 1024 * 1024).ToString(CultureInfo.InvariantCulture);
            settings["Http:ScanRoots:0"] = root;
        });
        using var http = worker.CreateHttpClient();

        using var response = await http.GetAsync($"/scanFile?path={Uri.EscapeDataString(path)}", Token);
        var body = await response.Content.ReadAsStringAsync(Token);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("\"OK\"", body, StringComparison.Ordinal);
        Assert.Contains("announced 67108864 bytes", body, StringComparison.Ordinal);
        Directory.Delete(root, recursive: true);
    }

    private Task<WorkerHost> StartAsync(Action<Dictionary<string, string?>>? configure = null) =>
        WorkerHost.StartAsync(servers, settings =>
        {
            settings["Messaging:Enabled"] = "false";
            settings["Http:MaxFileSize"] = FileLimit.ToString(CultureInfo.InvariantCulture);
            configure?.Invoke(settings);
        });
}
