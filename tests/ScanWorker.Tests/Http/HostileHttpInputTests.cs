using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Http;

/// <summary>What a hostile client sends the REST facade: broken multipart framing, endless parts, idle and half-sent connections.</summary>
[RealServers]
public sealed class HostileHttpInputTests(TestServers servers)
{
    private const string Boundary = "hostile-boundary";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> MalformedBodies => new()
    {
        { "a part header line without a colon", Boundary, $"--{Boundary}\r\nContent-Disposition form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\nhello\r\n--{Boundary}--\r\n" },
        {
            "a part with 20 header lines", Boundary,
            $"--{Boundary}\r\n" + string.Concat(Enumerable.Range(0, 19).Select(i => $"X-Header-{i}: {i}\r\n"))
            + "Content-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\nhello\r\n--" + Boundary + "--\r\n"
        },
        { "a part header of 100 KB", Boundary, $"--{Boundary}\r\nX-Long: {new string('a', 100_000)}\r\n\r\nhello\r\n--{Boundary}--\r\n" },
        { "a boundary of 5,000 characters", new string('b', 5000), $"--{new string('b', 5000)}\r\n\r\nhello\r\n--{new string('b', 5000)}--\r\n" },
        { "a preamble of 200 KB", Boundary, new string('p', 200_000) + $"\r\n--{Boundary}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\nhi\r\n--{Boundary}--\r\n" },
        { "no closing boundary", Boundary, $"--{Boundary}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\nhello" },
        { "no boundary line at all", Boundary, "just some bytes" },
    };

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_multipart_is_400_with_a_json_element_and_the_worker_goes_on(string what, string boundary, string body)
    {
        await using var worker = await StartAsync();
        using var http = worker.CreateHttpClient();

        var (status, text) = await PostRawAsync(http, boundary, body);
        var (after, _) = await RestFacadeTests.PostFilesAsync(http, "/v2/scan", ("f", "a.txt", TestContent.CleanText));

        Assert.True(status == HttpStatusCode.BadRequest, $"{what}: {status} {text}");
        Assert.StartsWith("""{"Status":"ERROR","Description":""", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, after);
    }

    [Fact(Timeout = 120_000)]
    public async Task More_parts_than_allowed_is_400()
    {
        await using var worker = await StartAsync(settings => settings["Http:MaxParts"] = "5");
        using var http = worker.CreateHttpClient();
        var five = Enumerable.Range(0, 5).Select(i => ("f", (string?)$"{i}.txt", TestContent.CleanText)).ToArray();
        var six = Enumerable.Range(0, 6).Select(i => ("f", (string?)$"{i}.txt", TestContent.CleanText)).ToArray();

        var (fiveStatus, _) = await RestFacadeTests.PostFilesAsync(http, "/v2/scan", five);
        var (sixStatus, sixBody) = await RestFacadeTests.PostFilesAsync(http, "/v2/scan", six);

        Assert.Equal(HttpStatusCode.OK, fiveStatus);
        Assert.Equal(HttpStatusCode.BadRequest, sixStatus);
        Assert.Contains("Http:MaxParts", sixBody, StringComparison.Ordinal);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("")]
    [InlineData("PRI * HT")]
    [InlineData("GET /version HTTP/1.1\r\nHost: x\r\n")]
    public async Task Idle_and_half_sent_connections_are_closed_within_the_headers_timeout(string sent)
    {
        await using var worker = await StartAsync(settings => settings["Http:HeadersTimeout"] = "00:00:02");
        using var socket = await ConnectAsync(worker);
        await socket.SendAsync(Encoding.ASCII.GetBytes(sent), Token);

        // Kestrel checks its timeouts once a second; well before 20 s the server must have hung up.
        Assert.True(await ClosedByServerAsync(socket, TimeSpan.FromSeconds(20)), $"a connection that sent '{sent}' is still open");
    }

    [Fact(Timeout = 120_000)]
    public async Task Connections_over_the_maximum_are_refused_while_the_others_are_open()
    {
        await using var worker = await StartAsync(settings => settings["Http:MaxConnections"] = "2");
        // Kestrel counts each connection on its own task, so connections opened at once are counted in any order: each of
        // the first two is served once before the next is opened, which makes the third the one over the limit.
        using var first = await ConnectAsync(worker);
        Assert.StartsWith("HTTP/1.1 200", await AskVersionAsync(first, close: false), StringComparison.Ordinal);
        using var second = await ConnectAsync(worker);
        Assert.StartsWith("HTTP/1.1 200", await AskVersionAsync(second, close: false), StringComparison.Ordinal);
        using var third = await ConnectAsync(worker);

        Assert.True(await ClosedByServerAsync(third, TimeSpan.FromSeconds(10)), "a third connection was kept over Http:MaxConnections=2");
        Assert.StartsWith("HTTP/1.1 200", await AskVersionAsync(first, close: true), StringComparison.Ordinal);
    }

    /// <summary>One <c>GET /version</c> on an open connection; the start of the answer.</summary>
    private static async Task<string> AskVersionAsync(Socket socket, bool close)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET /version HTTP/1.1\r\nHost: x\r\nConnection: {(close ? "close" : "keep-alive")}\r\n\r\n"), Token);
        var answer = new byte[4096];
        var read = await socket.ReceiveAsync(answer, Token).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Token);
        return Encoding.ASCII.GetString(answer, 0, read);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_empty_api_key_is_refused_at_start()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(settings => settings["Http:ApiKeys:0"] = ""));

        Assert.Contains("Http:ApiKeys", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Answers_vary_by_origin_when_cross_origin_access_is_configured()
    {
        await using var worker = await StartAsync(settings => settings["Http:AllowOrigins"] = "https://app.example");
        using var http = worker.CreateHttpClient();
        using var plain = await http.GetAsync("/version", Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/version") { Headers = { { "Origin", "https://app.example" } } };
        using var cross = await http.SendAsync(request, Token);

        Assert.Contains("Origin", plain.Headers.Vary);
        Assert.Contains("Origin", cross.Headers.Vary);
        Assert.Single(cross.Headers.Vary, value => value == "Origin");
        Assert.Equal("https://app.example", cross.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostRawAsync(HttpClient http, string boundary, string body)
    {
        using var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
        using var response = await http.PostAsync("/v2/scan", content, Token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Token));
    }

    private static async Task<Socket> ConnectAsync(WorkerHost worker)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, worker.BaseAddress.Port, Token);
        return socket;
    }

    /// <summary>True when the server closes (or resets) the connection within <paramref name="timeout"/>.</summary>
    private static async Task<bool> ClosedByServerAsync(Socket socket, TimeSpan timeout)
    {
        var buffer = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, Token).AsTask().WaitAsync(timeout, Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private Task<WorkerHost> StartAsync(Action<Dictionary<string, string?>>? configure = null) =>
        WorkerHost.StartAsync(servers, settings =>
        {
            settings["Messaging:Enabled"] = "false";
            configure?.Invoke(settings);
        });
}
