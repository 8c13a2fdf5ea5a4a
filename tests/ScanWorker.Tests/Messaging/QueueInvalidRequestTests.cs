using System.Text;
using ScanWorker.Contracts;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Messaging;

/// <summary>Malformed requests get an answer when they can be addressed, land in the error queue when not, and never stop the worker.</summary>
[RealServers]
public sealed class QueueInvalidRequestTests(TestServers servers)
{
    private static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 120_000)]
    public async Task Both_neither_or_no_target_is_InvalidRequest_to_the_scan_id()
    {
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await WorkerHost.StartAsync(servers);
        var both = Guid.NewGuid();
        var neither = Guid.NewGuid();
        var noTarget = Guid.NewGuid();
        var metadata = new Dictionary<string, string> { ["k"] = "v" };

        await worker.SendAsync(new ScanRequested
        {
            ScanId = both, Target = new ScanTarget { Bucket = "b", Key = "k", Path = "p" }, Metadata = metadata,
        });
        await worker.SendAsync(new ScanRequested { ScanId = neither, Target = new ScanTarget() });
        await worker.PublishRawAsync($$$"""{"scanId":"{{{noTarget}}}","metadata":{"k":"v"}}""");
        var results = await listener.WaitForAllAsync([both, neither, noTarget], ResultTimeout);

        Assert.All(results, result => Assert.Equal(("ScanError", "InvalidRequest", false), (result.Kind, result.Reason, result.Transient)));
        Assert.Contains("both", results[0].Detail, StringComparison.Ordinal);
        Assert.Equal("v", results[0].Message.GetProperty("metadata").GetProperty("k").GetString());
        Assert.Contains("neither", results[1].Detail, StringComparison.Ordinal);
        Assert.Contains("no target", results[2].Detail, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Oversized_metadata_is_InvalidRequest_and_not_echoed()
    {
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await WorkerHost.StartAsync(servers, settings => settings["Scanning:MaxMetadataBytes"] = "64");
        var id = Guid.NewGuid();

        await worker.SendAsync(new ScanRequested
        {
            ScanId = id,
            Target = new ScanTarget { Path = "a.txt" },
            Metadata = new Dictionary<string, string> { ["big"] = new string('x', 100) },
        });
        var result = await listener.WaitForAsync(id, ResultTimeout);

        Assert.Equal(("ScanError", "InvalidRequest"), (result.Kind, result.Reason));
        Assert.False(result.Message.TryGetProperty("metadata", out var echoed) && echoed.ValueKind == System.Text.Json.JsonValueKind.Object);
    }

    [Fact(Timeout = 120_000)]
    public async Task Unaddressable_or_unreadable_messages_go_to_the_error_queue_and_the_worker_keeps_going()
    {
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await WorkerHost.StartAsync(servers);
        var readableId = Guid.NewGuid();
        var after = Guid.NewGuid();
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "ok.txt"), TestContent.CleanText, TestContext.Current.CancellationToken);

        await worker.PublishRawAsync("""{"target":{"path":"ok.txt"}}""");               // no scanId
        await worker.PublishRawAsync("this is not json");                               // unreadable, no scanId
        await worker.PublishRawAsync($$$"""{"scanId":"{{{readableId}}}","target":{"path":""");  // broken, scanId readable
        await worker.PublishRawAsync($$$"""{"scanId":"{{{after}}}","target":{"path":"ok.txt"}}""");
        var readable = await listener.WaitForAsync(readableId, ResultTimeout);
        var next = await listener.WaitForAsync(after, ResultTimeout);

        Assert.Equal(("ScanError", "InvalidRequest"), (readable.Kind, readable.Reason));
        Assert.Equal("ScanClean", next.Kind);
        await worker.StopAsync();
        Assert.Equal(3u, await worker.CountMessagesAsync(worker.ErrorQueue));
    }

    [Fact(Timeout = 120_000)]
    public async Task Hostile_bodies_with_a_readable_scan_id_are_answered_and_a_foreign_envelope_is_logged_as_skipped()
    {
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await WorkerHost.StartAsync(servers);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "ok.txt"), TestContent.CleanText, TestContext.Current.CancellationToken);
        Guid wrongType = Guid.NewGuid(), notUtf8 = Guid.NewGuid(), byteOrderMark = Guid.NewGuid(), nestedFirst = Guid.NewGuid(),
            duplicateName = Guid.NewGuid(), notAnEnvelope = Guid.NewGuid(), braced = Guid.NewGuid(), foreign = Guid.NewGuid(), after = Guid.NewGuid();
        static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

        await worker.PublishRawAsync($$$"""{"scanId":"{{{wrongType}}}","target":{"path":123}}""");
        await worker.PublishRawAsync([.. Utf8($$$"""{"scanId":"{{{notUtf8}}}","target":{"path":"ok"""), 0xFF, 0xFE, .. Utf8(""".txt"}}""")]);
        await worker.PublishRawAsync([0xEF, 0xBB, 0xBF, .. Utf8($$$"""{"scanId":"{{{byteOrderMark}}}","target":{"path":"ok.txt"}}""")]);
        await worker.PublishRawAsync($$$"""{"x":{{{new string('[', 10_000)}}}{{{new string(']', 10_000)}}},"scanId":"{{{nestedFirst}}}","target":{"path":"ok.txt"}}""");
        // A gateway that checked the first "path" must not see the worker scan the second.
        await worker.PublishRawAsync($$$"""{"scanId":"{{{duplicateName}}}","target":{"path":"ok.txt","path":"../../etc/passwd"}}""");
        await worker.PublishRawAsync($$$"""{"scanId":"{{{notAnEnvelope}}}","target":{"path":"ok.txt"}}""", "application/vnd.masstransit+json");
        await worker.PublishRawAsync($$$"""{"scanId":"{{{braced:B}}}","target":{"path":"ok.txt"}}""");
        await worker.PublishRawAsync($$$"""{"messageType":["urn:message:Elsewhere:Thing"],"message":{"scanId":"{{{foreign}}}"}}""",
            "application/vnd.masstransit+json");
        await worker.PublishRawAsync($$$"""{"scanId":"{{{after}}}","target":{"path":"ok.txt"}}""");
        var answered = await listener.WaitForAllAsync([wrongType, notUtf8, byteOrderMark, nestedFirst, duplicateName, notAnEnvelope, braced], ResultTimeout);
        var next = await listener.WaitForAsync(after, ResultTimeout);

        Assert.All(answered, result => Assert.Equal(("ScanError", "InvalidRequest"), (result.Kind, result.Reason)));
        Assert.Contains("$.target.path", answered[0].Detail, StringComparison.Ordinal);
        Assert.Contains("$.target.path", answered[1].Detail, StringComparison.Ordinal);
        Assert.Contains("byte order mark", answered[2].Detail, StringComparison.Ordinal);
        Assert.Contains("depth", answered[3].Detail, StringComparison.Ordinal);
        Assert.Contains("'path'", answered[4].Detail, StringComparison.Ordinal);
        Assert.Contains("publish a plain request as application/json", answered[5].Detail, StringComparison.Ordinal);
        Assert.Contains("$.scanId", answered[6].Detail, StringComparison.Ordinal);
        Assert.Equal("ScanClean", next.Kind);
        await worker.StopAsync();
        Assert.Empty(listener.AllFor(foreign));
        Assert.Equal(7u, await worker.CountMessagesAsync(worker.ErrorQueue));
        Assert.Equal(1u, await worker.CountMessagesAsync(worker.Queue + "_skipped"));
        Assert.Contains("_skipped queue unanswered", Assert.Single(worker.Logs.MessagesOf(1015)), StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_plain_json_producer_is_handled_like_a_MassTransit_envelope()
    {
        await using var listener = await ResultListener.StartAsync(await servers.RabbitMqAsync(), TestContext.Current.CancellationToken);
        await using var worker = await WorkerHost.StartAsync(servers);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "eicar.com"), TestContent.Eicar, TestContext.Current.CancellationToken);
        var withContentType = Guid.NewGuid();
        var withoutContentType = Guid.NewGuid();

        await worker.PublishRawAsync($$"""
            {"scanId": "{{withContentType}}", "target": {"path": "eicar.com"}, "metadata": {"from": "python"},
             "requestedAt": "2026-11-21T10:00:00Z"}
            """);
        await worker.PublishRawAsync($$$"""{"scanId":"{{{withoutContentType}}}","target":{"path":"eicar.com"}}""", contentType: null);
        var results = await listener.WaitForAllAsync([withContentType, withoutContentType], ResultTimeout);

        Assert.All(results, result => Assert.Equal("ScanInfected", result.Kind));
        Assert.Equal("python", results[0].Message.GetProperty("metadata").GetProperty("from").GetString());
    }
}
