using System.Diagnostics;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Messaging;

/// <summary>The plain-AMQP example (docs/queue.md, docs/first-hour.md) (examples/scan-request.py, Python + pika) against a real worker.</summary>
[RealServers]
public sealed class PlainAmqpExampleTests(TestServers servers)
{
    [Theory(Timeout = 120_000)]
    [InlineData("eicar.com", 1, "ScanInfected")]
    [InlineData("clean.txt", 0, "ScanClean")]
    [InlineData("../outside.txt", 2, "ScanError")]
    public async Task The_python_example_publishes_a_request_and_prints_its_result(string path, int exitCode, string kind)
    {
        var broker = await servers.RabbitMqAsync();
        await using var worker = await WorkerHost.StartAsync(servers);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "eicar.com"), TestContent.Eicar, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "clean.txt"), TestContent.CleanText, TestContext.Current.CancellationToken);

        var start = new ProcessStartInfo("/usr/bin/python3", [RepositoryRoot.Combine("examples", "scan-request.py"), path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["AMQP_URL"] = broker.Amqp.ToString(),
                ["SCAN_QUEUE"] = worker.Queue,
                ["RESULT_TIMEOUT"] = "60",
            },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(exitCode == process.ExitCode, $"exit {process.ExitCode}: {await output}{await errors}");
        Assert.StartsWith(kind, await output, StringComparison.Ordinal);
        Assert.Contains("\"producer\": \"scan-request.py\"", await output, StringComparison.Ordinal);
    }
}
