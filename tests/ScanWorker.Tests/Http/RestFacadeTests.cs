using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Http;

/// <summary>The clamav-rest API on real Kestrel with the real clamd: the outcome matrix for the scan endpoints.</summary>
[RealServers]
public sealed class RestFacadeTests(TestServers servers)
{
    private const string SignaturePrefix = "ScanWorker.Test.EICAR";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task V2_scan_answers_one_element_per_file_with_the_aggregate_status()
    {
        await using var worker = await StartAsync();
        using var http = worker.CreateHttpClient();

        var clean = await PostFilesAsync(http, "/v2/scan", ("file", "dir/a.txt", TestContent.CleanText));
        var infected = await PostFilesAsync(http, "/v2/scan", ("file", "e.txt", TestContent.Eicar));
        var cleanThenInfected = await PostFilesAsync(http, "/v2/scan", ("f1", "a.txt", TestContent.CleanText), ("f2", "e.txt", TestContent.Eicar));
        var infectedThenClean = await PostFilesAsync(http, "/v2/scan", ("f1", "e.txt", TestContent.Eicar), ("f2", "a.txt", TestContent.CleanText));
        var twoClean = await PostFilesAsync(http, "/v2/scan", ("f1", "a.txt", TestContent.CleanText), ("f2", "b.txt", TestContent.CleanText));

        Assert.Equal((HttpStatusCode.OK, """[{"Status":"OK","Description":"","FileName":"a.txt"}]"""), clean);
        Assert.Equal(HttpStatusCode.NotAcceptable, infected.Status);
        Assert.StartsWith("[{\"Status\":\"FOUND\",\"Description\":\"" + SignaturePrefix, infected.Body, StringComparison.Ordinal);
        Assert.EndsWith("\",\"FileName\":\"e.txt\"}]", infected.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotAcceptable, cleanThenInfected.Status);
        Assert.StartsWith("""[{"Status":"OK","Description":"","FileName":"a.txt"},{"Status":"FOUND",""", cleanThenInfected.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotAcceptable, infectedThenClean.Status);
        Assert.EndsWith("""{"Status":"OK","Description":"","FileName":"a.txt"}]""", infectedThenClean.Body, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, """[{"Status":"OK","Description":"","FileName":"a.txt"},{"Status":"OK","Description":"","FileName":"b.txt"}]"""),
            twoClean);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_part_without_filename_is_422_in_v2_and_skipped_in_v1()
    {
        await using var worker = await StartAsync();
        using var http = worker.CreateHttpClient();

        var v2 = await PostFilesAsync(http, "/v2/scan", ("file", "a.txt", TestContent.CleanText), ("note", null, "hello"u8.ToArray()));
        var v1 = await PostFilesAsync(http, "/scan", ("note", null, "hello"u8.ToArray()));

        Assert.Equal((HttpStatusCode.UnprocessableEntity,
            """[{"Status":"OK","Description":"","FileName":"a.txt"},{"Status":"ERROR","Description":"MimePart FileName missing"}]"""), v2);
        Assert.Equal((HttpStatusCode.OK, string.Empty), v1);
    }

    [Fact(Timeout = 120_000)]
    public async Task The_deprecated_scan_endpoint_keeps_its_headers_body_shape_and_counter()
    {
        await using var worker = await StartAsync();
        using var http = worker.CreateHttpClient();

        using var content = Multipart(("f1", "a.txt", TestContent.CleanText), ("f2", "e.txt", TestContent.Eicar));
        using var response = await http.PostAsync("/scan", content, Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        var metrics = await http.GetStringAsync("/metrics", Token);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.StartsWith("""{"Status":"OK","Description":""}{"Status":"FOUND","Description":"ScanWorker.Test.EICAR""", body, StringComparison.Ordinal);
        Assert.DoesNotContain("FileName", body, StringComparison.Ordinal);
        Assert.Equal("version=v1", response.Headers.GetValues("Deprecation").Single());
        Assert.Equal($"{worker.BaseAddress.Authority}/v2/scan; rel=successor-version", response.Headers.GetValues("Link").Single());
        Assert.Contains("\nno_of_hits_on_deprecated_scan_endpoint 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("\nno_of_found_viruses 1\n", metrics, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Scan_handler_body_scans_the_raw_body_and_prints_clamav_rests_struct()
    {
        await using var worker = await StartAsync();
        using var http = worker.CreateHttpClient();

        var clean = await PostBodyAsync(http, TestContent.CleanText);
        var infected = await PostBodyAsync(http, TestContent.Eicar);

        Assert.Equal((HttpStatusCode.OK, "{OK   200}"), clean);
        Assert.Equal(HttpStatusCode.NotAcceptable, infected.Status);
        Assert.Matches(@"^\{FOUND ScanWorker\.Test\.EICAR\S+  406\}$", infected.Body);
    }

    [Fact(Timeout = 120_000)]
    public async Task Not_multipart_and_malformed_multipart_are_400_with_a_json_element()
    {
        await using var worker = await StartAsync();
        using var http = worker.CreateHttpClient();

        using var json = new StringContent("{}", Encoding.UTF8, "application/json");
        using var notMultipart = await http.PostAsync("/v2/scan", json, Token);
        using var broken = new ByteArrayContent("--xyz\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\nno end"u8.ToArray());
        broken.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
        using var malformed = await http.PostAsync("/v2/scan", broken, Token);

        Assert.Equal(HttpStatusCode.BadRequest, notMultipart.StatusCode);
        Assert.StartsWith("""{"Status":"ERROR","Description":"request Content-Type isn't multipart""", await notMultipart.Content.ReadAsStringAsync(Token),
            StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.StartsWith("""{"Status":"ERROR","Description":"malformed multipart""", await malformed.Content.ReadAsStringAsync(Token),
            StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Oversize_uploads_are_413_by_declared_length_and_by_streamed_length()
    {
        await using var worker = await StartAsync(settings => settings["Http:MaxFileSize"] = "100000");
        using var http = worker.CreateHttpClient();

        var declared = await PostBodyAsync(http, new byte[200_000]);
        var atLimit = await PostBodyAsync(http, new byte[100_000]);
        using var chunked = new StreamContent(new MemoryStream(new byte[100_001]));
        chunked.Headers.ContentLength = null;
        using var streamed = new HttpRequestMessage(HttpMethod.Post, "/scanHandlerBody") { Content = chunked };
        streamed.Headers.TransferEncodingChunked = true;
        using var streamedResponse = await http.SendAsync(streamed, Token);
        var multipart = await PostFilesAsync(http, "/v2/scan", ("f", "big.bin", new byte[100_001]));

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, """{"Status":"PARSE ERROR","Description":"File size limit exceeded"}"""), declared);
        Assert.Equal((HttpStatusCode.OK, "{OK   200}"), atLimit);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamedResponse.StatusCode);
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, """[{"Status":"PARSE ERROR","Description":"File size limit exceeded","FileName":"big.bin"}]"""),
            multipart);
    }

    [Fact(Timeout = 120_000)]
    public async Task Clamd_down_is_503_with_a_json_element_never_ok()
    {
        await using var worker = await StartAsync(settings =>
        {
            settings["Clamd:Address"] = $"tcp://127.0.0.1:{FreePort.Next()}";
            settings["Clamd:MaxConcurrentScans"] = "2";
        });
        using var http = worker.CreateHttpClient();

        var scan = await PostFilesAsync(http, "/v2/scan", ("f", "a.txt", TestContent.CleanText));
        var body = await PostBodyAsync(http, TestContent.CleanText);
        using var stats = await http.GetAsync("/", Token);
        using var version = await http.GetAsync("/version", Token);
        using var retried = await http.PostAsync("/scanHandlerBody", new ByteArrayContent(TestContent.CleanText), Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, scan.Status);
        Assert.StartsWith("""[{"Status":"ERROR","Description":"clamd could not scan""", scan.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, body.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stats.StatusCode);
        Assert.StartsWith("""{"Status":"ERROR","Description":"clamd is unreachable""", await stats.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, version.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, retried.StatusCode);
        Assert.InRange(retried.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    }

    [Theory(Timeout = 120_000)]
    [InlineData("stream: Error writing to temporary file ERROR", 400, "ERROR", "Error writing to temporary file")]
    [InlineData("stream: something clamd never says", 412, "PARSE ERROR", "Regex had no matches")]
    [InlineData("INSTREAM size limit exceeded. ERROR", 413, "PARSE ERROR", "File size limit exceeded")]
    [InlineData("stream: Heuristics.Limits.Exceeded.MaxScanSize FOUND", 400, "ERROR", "Heuristics.Limits.Exceeded.MaxScanSize")]
    public async Task Clamd_answers_other_than_OK_and_FOUND_keep_clamav_rests_codes_on_every_endpoint(
        string reply, int status, string word, string description)
    {
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            if (await connection.ReadCommandAsync(stop) != "INSTREAM")
            {
                await connection.ReplyAsync("ClamAV 1.4.6", stop);
                return;
            }

            await connection.ReadInStreamAsync(stop);
            await connection.ReplyAsync(reply, stop);
        });
        await using var worker = await StartAsync(settings =>
        {
            settings["Clamd:Address"] = fake.Address.ToString();
            // The fake answers OK to anything, EICAR included: it would (rightly) fail the engine canary.
            settings["Clamd:Canary:Enabled"] = "false";
            settings["Clamd:MaxConcurrentScans"] = "2";
        });
        using var http = worker.CreateHttpClient();

        var v2 = await PostFilesAsync(http, "/v2/scan", ("f", "a.txt", TestContent.CleanText));
        var v1 = await PostFilesAsync(http, "/scan", ("f", "a.txt", TestContent.CleanText));
        var body = await PostBodyAsync(http, TestContent.CleanText);

        var element = $$"""{"Status":"{{word}}","Description":"{{description}}"}""";
        Assert.Equal(((HttpStatusCode)status, "[" + element.TrimEnd('}') + ",\"FileName\":\"a.txt\"}]"), v2);
        Assert.Equal(((HttpStatusCode)status, element), v1);
        Assert.Equal((HttpStatusCode)status, body.Status);
    }

    [Fact(Timeout = 120_000)]
    public async Task Version_and_stats_have_clamav_rests_shapes()
    {
        await using var worker = await StartAsync();
        using var http = worker.CreateHttpClient();

        using var version = await http.GetAsync("/version", Token);
        using var stats = await http.GetAsync("/", Token);
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"), Token);
        var statsBody = await stats.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        Assert.Matches("""^\{ "Clamav": "\d+\.\d+\.\d+" \}$""", await version.Content.ReadAsStringAsync(Token));
        Assert.Equal("application/json; charset=utf-8", version.Content.Headers.ContentType?.ToString());
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.Matches("""^\{"Pools":"1","State":"STATE: VALID PRIMARY","Threads":"THREADS: live \d+ +idle \d+ max \d+ idle-timeout \d+","Memstats":"MEMSTATS: [^"]*","Queue":"QUEUE: \d+ items[^"]*"\}$""",
            statsBody);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task Wrong_methods_are_405_with_Allow_and_unknown_paths_404()
    {
        await using var worker = await StartAsync();
        using var http = worker.CreateHttpClient();

        using var put = await http.PutAsync("/v2/scan", new ByteArrayContent([]), Token);
        using var getScan = await http.GetAsync("/v2/scan", Token);
        using var deleteVersion = await http.DeleteAsync("/version", Token);
        using var unknown = await http.GetAsync("/nope", Token);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
        Assert.Equal(["POST"], put.Content.Headers.Allow);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, getScan.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, deleteVersion.StatusCode);
        Assert.Equal(["GET", "HEAD"], deleteVersion.Content.Headers.Allow.Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private Task<WorkerHost> StartAsync(Action<Dictionary<string, string?>>? configure = null) =>
        WorkerHost.StartAsync(servers, settings =>
        {
            settings["Messaging:Enabled"] = "false";
            configure?.Invoke(settings);
        });

    internal static MultipartFormDataContent Multipart(params (string Field, string? FileName, byte[] Content)[] parts)
    {
        var content = new MultipartFormDataContent("scanworker-test-boundary");
        foreach (var (field, fileName, bytes) in parts)
        {
            var part = new ByteArrayContent(bytes);
            if (fileName is null)
            {
                content.Add(part, field);
            }
            else
            {
                content.Add(part, field, fileName);
            }
        }

        return content;
    }

    internal static async Task<(HttpStatusCode Status, string Body)> PostFilesAsync(HttpClient http, string path,
        params (string Field, string? FileName, byte[] Content)[] parts)
    {
        using var content = Multipart(parts);
        using var response = await http.PostAsync(path, content, Token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Token));
    }

    internal static async Task<(HttpStatusCode Status, string Body)> PostBodyAsync(HttpClient http, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        using var response = await http.PostAsync("/scanHandlerBody", content, Token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Token));
    }
}
