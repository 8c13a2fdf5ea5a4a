using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ScanWorker.Bench;

/// <summary>
/// Queue end to end, as a producer sees it: the request queue is pre-loaded, then the worker (a separate process
/// started by the caller, <c>dotnet ScanWorker.dll</c>) drains it; the rate is counted from the first to the last
/// result event. Every result is checked: clean files clean, EICAR found.
/// </summary>
internal static class QueueBench
{
    public const string ResultsExchange = "ScanWorker.Contracts:ScanCompleted";

    /// <summary>Declares the results queue and publishes <paramref name="targets"/> with confirms; returns the expected verdicts.</summary>
    public static async Task<Dictionary<Guid, bool>> PreloadAsync(Uri amqp, string queue, string resultsQueue,
        IReadOnlyList<(string TargetJson, bool Infected)> targets)
    {
        await using var connection = await new ConnectionFactory { Uri = amqp }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await channel.ExchangeDeclareAsync(ResultsExchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(resultsQueue, durable: false, exclusive: false, autoDelete: false);
        await channel.QueuePurgeAsync(resultsQueue);
        await channel.QueueBindAsync(resultsQueue, ResultsExchange, string.Empty);
        // Declared as the worker declares its receive queue (quorum by default), so it takes the queue over as it is.
        var queueType = Environment.GetEnvironmentVariable("E2E_QUEUE_TYPE") is { Length: > 0 } type ? type.ToLowerInvariant() : "quorum";
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            new Dictionary<string, object?> { ["x-queue-type"] = queueType });
        var expected = new Dictionary<Guid, bool>();
        var properties = new BasicProperties { ContentType = "application/json", Persistent = true };
        foreach (var (target, infected) in targets)
        {
            var id = Guid.NewGuid();
            expected[id] = infected;
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties,
                Encoding.UTF8.GetBytes($"{{\"scanId\":\"{id}\",\"target\":{target}}}"));
        }

        return expected;
    }

    /// <summary>Waits for every result; returns (seconds from first to last result, worker CPU seconds in that span).</summary>
    public static async Task<(double Seconds, double CpuSeconds)> CollectAsync(Uri amqp, string resultsQueue, Dictionary<Guid, bool> expected,
        int workerPid, TimeSpan timeout)
    {
        await using var connection = await new ConnectionFactory { Uri = amqp }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.BasicQosAsync(0, 1000, false);
        var seen = new ConcurrentDictionary<Guid, string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long first = 0, last = 0;
        double cpuFirst = 0, cpuLast = 0;
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var now = Stopwatch.GetTimestamp();
            using var json = JsonDocument.Parse(delivery.Body);
            var message = json.RootElement.GetProperty("message");
            var kind = json.RootElement.GetProperty("messageType")[0].GetString()!.Split(':')[^1];
            var id = message.GetProperty("scanId").GetGuid();
            if (expected.TryGetValue(id, out var infected) && seen.TryAdd(id, kind))
            {
                if (seen.Count == 1)
                {
                    first = now;
                    cpuFirst = CpuSeconds(workerPid);
                }

                if ((infected ? "ScanInfected" : "ScanClean") != kind)
                {
                    done.TrySetException(new InvalidOperationException($"scan {id}: expected {(infected ? "infected" : "clean")}, got {kind} {message}"));
                }

                if (seen.Count == expected.Count)
                {
                    last = now;
                    cpuLast = CpuSeconds(workerPid);
                    done.TrySetResult();
                }
            }

            await channel.BasicAckAsync(delivery.DeliveryTag, false);
        };
        await channel.BasicConsumeAsync(resultsQueue, autoAck: false, consumer);
        await done.Task.WaitAsync(timeout);
        return (Stopwatch.GetElapsedTime(first, last).TotalSeconds, cpuLast - cpuFirst);
    }

    /// <summary>utime + stime of a process, from /proc/PID/stat, in seconds.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the command: state is field 3, utime 14 and stime 15 (1-based), i.e. indexes 11 and 12 here.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }
}

/// <summary>Runs one queue scenario: lays out the objects, pre-loads the queue, starts the worker, collects, prints a row.</summary>
internal static class QueueScenario
{
    private const int DistinctObjects = 64;
    private const int EicarEvery = 50;

    // EICAR in two halves, so this file is not flagged itself.
    private static readonly byte[] Eicar = Encoding.ASCII.GetBytes(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR" + "-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");

    /// <summary>args: amqp clamd workerDll mount|s3 sizeBytes count rawRate [s3 url]</summary>
    public static async Task RunAsync(string[] args)
    {
        var amqp = new Uri(args[0]);
        var clamd = args[1];
        var workerDll = args[2];
        var source = args[3];
        var size = long.Parse(args[4], CultureInfo.InvariantCulture);
        var count = int.Parse(args[5], CultureInfo.InvariantCulture);
        var rawRate = double.Parse(args[6], CultureInfo.InvariantCulture);
        var s3Url = args.Length > 7 ? args[7] : null;
        var run = Guid.NewGuid().ToString("N")[..8];
        var queue = $"bench-requests-{run}";
        var root = Directory.CreateTempSubdirectory("scanworker-bench-mount-").FullName;
        try
        {
            var targets = await LayOutAsync(source, root, run, size, count, s3Url);
            var expected = await QueueBench.PreloadAsync(amqp, queue, $"bench-results-{run}", targets);
            var environment = new Dictionary<string, string>
            {
                ["RabbitMq__Host"] = amqp.Host,
                ["RabbitMq__Port"] = amqp.Port.ToString(CultureInfo.InvariantCulture),
                ["Messaging__ScanRequestsQueue"] = queue,
                ["Messaging__QueueType"] = Environment.GetEnvironmentVariable("E2E_QUEUE_TYPE") is { Length: > 0 } type ? type : "Quorum",
                ["Clamd__Address"] = clamd,
                ["Clamd__MaxConcurrentScans"] = "4",
                ["Scanning__MaxObjectBytes"] = (1024L * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
                ["Http__Port"] = "0",
                ["Http__SslPort"] = "0",
                ["Http__BindAddress"] = "127.0.0.1",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Microsoft.AspNetCore"] = "Error",
                ["Mount__Root"] = root,
                // Lets perf name JIT-compiled frames; costs nothing measurable.
                ["DOTNET_PerfMapEnabled"] = Environment.GetEnvironmentVariable("BENCH_PROFILER") is { Length: > 0 } ? "1" : "0",
            };
            if (s3Url is not null)
            {
                environment["S3__ServiceUrl"] = s3Url;
                environment["S3__ForcePathStyle"] = "true";
                environment["S3__AccessKey"] = "S3RVER";
                environment["S3__SecretKey"] = "S3RVER";
            }

            using var worker = StartWorker(workerDll, environment);
            // BENCH_PROFILER="perf record ... -p {pid} -- sleep 8": profiles the worker once it has been draining for 3 s.
            var profiler = Environment.GetEnvironmentVariable("BENCH_PROFILER") is { Length: > 0 } command
                ? Task.Delay(TimeSpan.FromSeconds(3)).ContinueWith(_ => Process.Start("/bin/sh",
                    ["-c", command.Replace("{pid}", worker.Id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)]), TaskScheduler.Default)
                : null;
            var (seconds, cpu) = await QueueBench.CollectAsync(amqp, $"bench-results-{run}", expected, worker.Id, TimeSpan.FromMinutes(10));
            if (profiler is not null)
            {
                using var profiling = await profiler;
                await profiling.WaitForExitAsync();
            }

            worker.Kill(entireProcessTree: true);
            var rate = (count - 1) / seconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| queue end to end, {source} source, {Label(size)} | {count} | {rate:N0}/s | {rate / rawRate:N2}x | {cpu * 1000 / (count - 1):N2} ms |"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Label(long size) => size >= 1024 * 1024 ? $"{size / 1024 / 1024} MiB" : $"{size / 1024} KiB";

    private static async Task<List<(string, bool)>> LayOutAsync(string source, string root, string run, long size, int count, string? s3Url)
    {
        var content = new byte[size];
        for (var i = 0; i < content.Length; i++)
        {
            content[i] = (byte)('a' + (i % 26));
        }

        using var s3 = s3Url is null ? null : new Amazon.S3.AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials("S3RVER", "S3RVER"),
            new Amazon.S3.AmazonS3Config
            {
                ServiceURL = s3Url, ForcePathStyle = true, AuthenticationRegion = "us-east-1",
                RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
                ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
            });
        async Task<string> PutAsync(string name, byte[] bytes)
        {
            if (source == "mount")
            {
                await File.WriteAllBytesAsync(Path.Combine(root, name), bytes);
                return JsonSerializer.Serialize(new { path = name });
            }

            var key = $"bench-{run}/{name}";
            await using var body = new MemoryStream(bytes);
            await s3!.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
            {
                BucketName = "scan-input", Key = key, InputStream = body, UseChunkEncoding = false,
            });
            return JsonSerializer.Serialize(new { bucket = "scan-input", key });
        }

        var clean = new List<string>();
        for (var i = 0; i < DistinctObjects; i++)
        {
            content[0] = (byte)('A' + (i % 26));
            content[^1] = (byte)('A' + (i / 26));
            clean.Add(await PutAsync($"clean-{i}.bin", content));
        }

        var eicar = await PutAsync("eicar.com", Eicar);
        return [.. Enumerable.Range(0, count).Select(i => i % EicarEvery == EicarEvery - 1 ? (eicar, true) : (clean[i % clean.Count], false))];
    }

    private static Process StartWorker(string dll, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        start.Environment.Clear();
        foreach (var inherited in new[] { "PATH", "HOME" })
        {
            start.Environment[inherited] = Environment.GetEnvironmentVariable(inherited);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }
}
