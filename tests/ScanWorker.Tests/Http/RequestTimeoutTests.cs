using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using ScanWorker.Clamd;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Http;

[RealServers]
public sealed class RequestTimeoutTests(TestServers servers)
{
    [Fact(Timeout = 120_000)]
    public async Task A_client_that_stops_sending_loses_its_clamd_slot_at_the_request_timeout()
    {
        await using var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Messaging:Enabled"] = "false";
            settings["Http:RequestTimeout"] = "00:00:01";
        });
        using var client = new TcpClient();
        await client.ConnectAsync(worker.BaseAddress.Host, worker.BaseAddress.Port, TestContext.Current.CancellationToken);
        await using var stream = client.GetStream();
        // Headers and one chunk of a chunked body, then silence: the request is never finished.
        var start = "POST /scanHandlerBody HTTP/1.1\r\nHost: scanworker\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n"u8.ToArray();
        await stream.WriteAsync(start.Concat(new byte[1024]).Concat("\r\n"u8.ToArray()).ToArray(), TestContext.Current.CancellationToken);

        using var reader = new StreamReader(stream);
        var statusLine = await reader.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30),
            TestContext.Current.CancellationToken);

        Assert.Equal("HTTP/1.1 504 Gateway Timeout", statusLine);
        Assert.Equal(0, worker.Services.GetRequiredService<ClamdScanSlots>().InFlight);
    }
}
