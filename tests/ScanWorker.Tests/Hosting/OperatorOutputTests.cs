using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using RabbitMQ.Client;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Hosting;

/// <summary>
/// What an operator sees on the console of the built worker, started as a process: bad settings refused in plain lines
/// with a configuration exit code, typos named, one timestamped line per event and no stack trace for expected faults.
/// </summary>
[RealServers]
public sealed partial class OperatorOutputTests(TestServers servers)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>sysexits.h EX_CONFIG, as Hosting/StartupRefusal.cs exits.</summary>
    private const int ConfigurationExitCode = 78;

    [Fact(Timeout = 120_000)]
    public async Task Unreadable_values_stop_start_up_with_one_plain_line_each_naming_the_key_as_written_and_the_accepted_form()
    {
        await using var worker = await StartAsync(new()
        {
            ["MAX_FILE_SIZE"] = "abc",
            ["Clamd__ScanTimeout"] = "ten",
            ["Messaging__QueueType"] = "fast",
        });

        var exitCode = await worker.WaitForExitAsync(Timeout);
        var lines = worker.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(ConfigurationExitCode, exitCode);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line => Assert.StartsWith("ScanWorker cannot start: ", line, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("MAX_FILE_SIZE", StringComparison.Ordinal) && line.Contains("=abc", StringComparison.Ordinal)
            && line.Contains("25M", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Clamd__ScanTimeout=ten", StringComparison.Ordinal) && line.Contains("00:00:30", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Messaging__QueueType=fast", StringComparison.Ordinal) && line.Contains("Quorum", StringComparison.Ordinal));
    }

    [Fact(Timeout = 120_000)]
    public async Task Values_out_of_range_in_several_sections_are_all_reported_at_once()
    {
        await using var worker = await StartAsync(new()
        {
            ["Clamd__ChunkSize"] = "10",
            ["Messaging__RetryLimit"] = "-1",
            ["RabbitMq__CaCertificate"] = "/no/such/ca.pem",
        });

        var exitCode = await worker.WaitForExitAsync(Timeout);

        Assert.Equal(ConfigurationExitCode, exitCode);
        Assert.Contains("Clamd__ChunkSize=10 must be between 1024 and 4194304", worker.Output, StringComparison.Ordinal);
        Assert.Contains("Messaging__RetryLimit=-1 must be between 0 and 100", worker.Output, StringComparison.Ordinal);
        Assert.Contains("RabbitMq:CaCertificate '/no/such/ca.pem' is not a readable file", worker.Output, StringComparison.Ordinal);
        Assert.Contains("RabbitMq:UseSsl is not true", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", worker.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_healthy_start_logs_timestamped_lines_a_summary_without_secrets_a_warning_per_typo_and_nothing_at_error_level()
    {
        var broker = await servers.RabbitMqAsync();
        await using var worker = await StartAsync(new() { ["Clamd__Adress"] = "tcp://elsewhere:3310" });

        await worker.WaitForOutputAsync("engine canary on", Timeout);
        await worker.WaitForOutputAsync("Engine canary passed", Timeout);
        var output = worker.Output;
        var headers = output.Split('\n').Where(line => LogHeader().IsMatch(line)).ToList();

        Assert.NotEmpty(headers);
        Assert.All(headers, header => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ", header));
        Assert.Contains("Clamd__Adress is not a ScanWorker setting and is ignored; did you mean Clamd__Address?", output, StringComparison.Ordinal);
        Assert.Matches(@"ScanWorker \d+\.\d+\.\d+\S* started: HTTP ", output);
        Assert.DoesNotContain(headers, header => header.Contains(" fail: ", StringComparison.Ordinal) || header.Contains(" crit: ", StringComparison.Ordinal));
        Assert.DoesNotContain($"{broker.Password}@", output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Scan_endpoints_without_an_api_key_beyond_loopback_are_named_at_start_and_quiet_on_loopback()
    {
        var roots = Directory.CreateTempSubdirectory("scanworker-open-").FullName;
        await using var open = await StartAsync(new() { ["Http__BindAddress"] = "0.0.0.0", ["Http__ScanRoots__0"] = roots });
        await using var local = await StartAsync(new() { ["Http__ScanRoots__0"] = roots });

        await open.WaitForOutputAsync("The scan endpoints have no API key", Timeout);
        await local.WaitForOutputAsync(" started: HTTP ", Timeout);

        Assert.Contains($"may scan, and read and list every file below {roots} with /scanFile and /scanPath", open.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("The scan endpoints have no API key", local.Output, StringComparison.Ordinal);
        Directory.Delete(roots);
    }

    [Fact(Timeout = 120_000)]
    public async Task An_unreachable_broker_is_one_line_with_its_cause_and_readiness_one_more_never_a_stack_per_attempt()
    {
        await using var worker = await StartAsync(new() { ["RabbitMq__Port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture) });

        await worker.WaitForOutputAsync("The broker session failed: broker 127.0.0.1:", Timeout);
        await worker.WaitForOutputAsync("Not ready: ", Timeout);
        var output = worker.Output;

        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(output, "The broker session failed"));
        Assert.True(output.Split('\n').Length < 40, $"{output.Split('\n').Length} lines:\n{output}");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_malformed_message_is_one_line_naming_the_queue_and_the_problem_without_a_stack()
    {
        var broker = await servers.RabbitMqAsync();
        var queue = $"scan-requests-{Guid.NewGuid():N}"[..26];
        await using var worker = await StartAsync(new() { ["Messaging__ScanRequestsQueue"] = queue });
        await worker.WaitForOutputAsync($"Consuming from queue {queue}", Timeout);

        var token = TestContext.Current.CancellationToken;
        await using (var connection = await new ConnectionFactory { Uri = broker.Amqp }.CreateConnectionAsync(token))
        {
            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), token);
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, new BasicProperties { ContentType = "application/json" },
                Encoding.UTF8.GetBytes("{\"scanId\": \"not json"), token);
        }

        await worker.WaitForOutputAsync("could not be read and goes to the error queue", Timeout);

        Assert.Contains($"A message on rabbitmq://{broker.Amqp.Host}:{broker.Amqp.Port}/{queue}", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("R-FAULT", worker.Output, StringComparison.Ordinal);
    }

    /// <summary>The built worker with the fixture's clamd and broker, HTTP on a free port, and <paramref name="settings"/> on top.</summary>
    private async Task<WorkerProcess> StartAsync(Dictionary<string, string> settings)
    {
        var clamd = await servers.ClamdAsync();
        var broker = await servers.RabbitMqAsync();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Clamd__Address"] = clamd.Tcp.ToString(),
            ["RabbitMq__Host"] = broker.Amqp.Host,
            ["RabbitMq__Port"] = broker.Amqp.Port.ToString(CultureInfo.InvariantCulture),
            ["RabbitMq__User"] = broker.User,
            ["RabbitMq__Pass"] = broker.Password,
            ["Messaging__ScanRequestsQueue"] = $"scan-requests-{Guid.NewGuid():N}"[..26],
            ["Http__BindAddress"] = "127.0.0.1",
            ["Http__Port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Http__SslPort"] = "0",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return WorkerProcess.Start(environment);
    }

    /// <summary>The first line of a console log entry: "[timestamp ]level: category[event]".</summary>
    [GeneratedRegex(@"(^|\s)(trce|dbug|info|warn|fail|crit): [\w.]+\[\d+\]")]
    private static partial Regex LogHeader();
}
