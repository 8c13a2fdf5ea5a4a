using System.Diagnostics;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Messaging;

/// <summary>
/// The producer samples (docs/queue.md, docs/first-hour.md), each run as a user runs it against a real worker: Python
/// with pika (examples/scan-request.py), Node with amqplib (examples/node) and .NET with MassTransit consuming the
/// ScanWorker.Contracts package from a local feed (examples/dotnet; built by scripts/build-examples.sh).
/// </summary>
[RealServers]
public sealed class ProducerSampleTests(TestServers servers)
{
    public static TheoryData<string, string, int, string> Cases()
    {
        var cases = new TheoryData<string, string, int, string>();
        foreach (var producer in new[] { "python", "node", "dotnet" })
        {
            cases.Add(producer, "eicar.com", 1, "ScanInfected");
            cases.Add(producer, "clean.txt", 0, "ScanClean");
            cases.Add(producer, "../outside.txt", 2, "ScanError");
        }

        return cases;
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Cases))]
    public async Task The_sample_publishes_a_request_and_prints_its_result(string producer, string path, int exitCode, string kind)
    {
        var broker = await servers.RabbitMqAsync();
        await using var worker = await WorkerHost.StartAsync(servers);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "eicar.com"), TestContent.Eicar, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(worker.MountRoot, "clean.txt"), TestContent.CleanText, TestContext.Current.CancellationToken);

        var (command, arguments, name) = producer switch
        {
            "python" => ("/usr/bin/python3", new[] { RepositoryRoot.Combine("examples", "scan-request.py") }, "scan-request.py"),
            "node" => ("node", new[] { RepositoryRoot.Combine("examples", "node", "scan-request.mjs") }, "scan-request.mjs"),
            _ => ("dotnet", new[] { Sample() }, "ScanRequestProducer"),
        };
        var start = new ProcessStartInfo(command, [.. arguments, path])
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
        Assert.Contains($"\"producer\": \"{name}\"", await output, StringComparison.Ordinal);
    }

    private static string Sample()
    {
        var dll = RepositoryRoot.Combine("artifacts", "examples", "dotnet", "ScanRequestProducer.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: run bash scripts/build-examples.sh (scripts/test.sh does)");
    }
}
