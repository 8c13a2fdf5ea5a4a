using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Http;

[RealServers]
[Collection(SequentialTests.Name)]
public sealed class LargeUploadMemoryTests(TestServers servers, ITestOutputHelper output)
{
    private const long UploadBytes = 500L * 1000 * 1000;

    // Client and server share this process, so the budget covers both; buffering the upload anywhere
    // would cost at least its 500 MB.
    private const long AllocationBudgetBytes = 64L * 1024 * 1024;

    [Fact(Timeout = 300_000)]
    public async Task A_500_MB_multipart_upload_is_streamed_to_clamd_with_flat_memory()
    {
        var large = await servers.LargeClamdAsync();
        await using var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Messaging:Enabled"] = "false";
            settings["Clamd:Address"] = large.Tcp.ToString();
            settings["Http:MaxFileSize"] = (600L * 1024 * 1024).ToString(CultureInfo.InvariantCulture);
        });
        using var http = worker.CreateHttpClient();
        http.Timeout = TimeSpan.FromMinutes(4);
        await PostAsync(http, 1024 * 1024); // warm-up: JIT, connection, pools

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var (status, body) = await PostAsync(http, UploadBytes);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"uploaded {UploadBytes:N0} bytes; the process allocated {allocated:N0} bytes; answer {status} {body}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""[{"Status":"OK","Description":"","FileName":"big.bin"}]""", body);
        Assert.True(allocated < AllocationBudgetBytes, $"allocated {allocated:N0} bytes for a {UploadBytes:N0}-byte upload");
    }

    [Fact(Timeout = 300_000)]
    public async Task A_500_MB_part_over_the_file_limit_is_discarded_as_it_arrives_and_the_next_part_is_scanned()
    {
        await using var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Messaging:Enabled"] = "false";
            settings["Http:MaxFileSize"] = "1048576";
        });
        using var http = worker.CreateHttpClient();
        http.Timeout = TimeSpan.FromMinutes(4);
        await PostAsync(http, 2 * 1024 * 1024, TestContent.Eicar); // warm-up: JIT, connection, pools

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var (status, body) = await PostAsync(http, UploadBytes, TestContent.Eicar);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"uploaded {UploadBytes:N0} bytes over the limit, then EICAR; the process allocated {allocated:N0} bytes; answer {status} {body}");

        Assert.Equal(HttpStatusCode.NotAcceptable, status);
        Assert.StartsWith("""[{"Status":"PARSE ERROR","Description":"File size limit exceeded","FileName":"big.bin"},{"Status":"FOUND",""",
            body, StringComparison.Ordinal);
        Assert.EndsWith("\"FileName\":\"after.com\"}]", body, StringComparison.Ordinal);
        Assert.True(allocated < AllocationBudgetBytes, $"allocated {allocated:N0} bytes for a {UploadBytes:N0}-byte upload");
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient http, long bytes, byte[]? after = null)
    {
        await using var pattern = TestContent.Pattern(bytes);
        using var file = new StreamContent(pattern, 64 * 1024);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var form = new MultipartFormDataContent { { file, "file", "big.bin" } };
        if (after is not null)
        {
            form.Add(new ByteArrayContent(after), "file", "after.com");
        }

        using var response = await http.PostAsync("/v2/scan", form, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
