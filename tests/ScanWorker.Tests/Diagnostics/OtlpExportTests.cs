using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ScanWorker.Contracts;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Diagnostics;

/// <summary>With Otlp:Endpoint set, metrics and traces reach an OTLP/HTTP collector (a fake one on loopback).</summary>
[RealServers]
public sealed class OtlpExportTests(TestServers servers)
{
    [Fact(Timeout = 120_000)]
    public async Task Metrics_and_traces_are_pushed_to_the_configured_collector()
    {
        var token = TestContext.Current.CancellationToken;
        var received = new ConcurrentDictionary<string, TaskCompletionSource<string>>();
        TaskCompletionSource<string> Signal(string path) =>
            received.GetOrAdd(path, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var collector = builder.Build();
        collector.MapPost("/v1/{signal}", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            var text = Encoding.UTF8.GetString(body.ToArray());
            if (request.Path == "/v1/traces" || text.Contains("scanworker_scans", StringComparison.Ordinal))
            {
                Signal(request.Path).TrySetResult(request.ContentType ?? string.Empty);
            }

            return Results.Ok();
        });
        await collector.StartAsync(token);
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), token);
        await using var worker = await WorkerHost.StartAsync(servers, settings =>
        {
            settings["Otlp:Endpoint"] = collector.Urls.First();
            settings["Otlp:MetricsInterval"] = "00:00:00.200";
        });
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "clean.txt"), TestContent.CleanText, token);
        var id = Guid.NewGuid();

        await worker.SendAsync(new ScanRequested { ScanId = id, Target = new ScanTarget { Path = "clean.txt" } });
        await listener.WaitForAsync(id, TimeSpan.FromSeconds(60));
        await worker.StopAsync(); // flushes the traces

        Assert.Equal("application/x-protobuf", await Signal("/v1/metrics").Task.WaitAsync(TimeSpan.FromSeconds(30), token));
        Assert.Equal("application/x-protobuf", await Signal("/v1/traces").Task.WaitAsync(TimeSpan.FromSeconds(30), token));
    }
}
