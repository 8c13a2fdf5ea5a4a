using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ScanWorker.Bench;

/// <summary>
/// Queue end to end, as a producer sees it: the request queue is pre-loaded, then the worker (a separate process
/// started by the caller, <c>dotnet ScanWorker.dll</c>) drains it; the rate is counted from the first to the last
/// result event of the measured requests. Warm-up requests queued ahead of them let the JIT's tiers settle first, as
/// in a worker that has been running (without them, a fresh worker spent a third of its CPU in the JIT during the
/// row). Every result is checked: clean files clean, EICAR found.
/// </summary>
internal static class QueueBench
{
    public const string ResultsExchange = "ScanWorker.Contracts:ScanCompleted";

    /// <summary>Declares the results queue and publishes <paramref name="targets"/> with confirms; returns the expected verdicts.</summary>
    public static async Task<Dictionary<Guid, Target>> PreloadAsync(Uri amqp, string queue, string resultsQueue,
        IReadOnlyList<Target> targets)
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
        var expected = new Dictionary<Guid, Target>();
        var properties = new BasicProperties { ContentType = "application/json", Persistent = true };
        foreach (var target in targets)
        {
            var id = Guid.NewGuid();
            expected[id] = target;
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties,
                Encoding.UTF8.GetBytes($"{{\"scanId\":\"{id}\",\"target\":{target.Json}}}"));
        }

        return expected;
    }

    public static async Task DeleteQueuesAsync(Uri amqp, params string[] queues)
    {
        await using var connection = await new ConnectionFactory { Uri = amqp }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in queues)
        {
            await channel.QueueDeleteAsync(queue);
        }
    }

    /// <summary>
    /// Waits for every result; returns the seconds from the first to the last result of a measured request, the CPU
    /// samples (<c>bench/cpu.sh sample</c>) taken at both, and when each measured result came (Stopwatch timestamps).
    /// </summary>
    public static async Task<(double Seconds, string CpuFirst, string CpuLast, List<long> Arrivals)> CollectAsync(Uri amqp, string resultsQueue,
        Dictionary<Guid, Target> expected, int workerPid, TimeSpan timeout, Action measuring)
    {
        await using var connection = await new ConnectionFactory { Uri = amqp }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.BasicQosAsync(0, 1000, false);
        var seen = new ConcurrentDictionary<Guid, string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var measured = expected.Values.Count(target => target.Measured);
        int seenMeasured = 0;
        long first = 0, last = 0;
        string cpuFirst = string.Empty, cpuLast = string.Empty;
        var arrivals = new List<long>(measured);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            try
            {
                await CheckAsync(delivery);
            }
            catch (Exception exception)
            {
                // RabbitMQ.Client would only log it and leave the run waiting for results it will never count.
                done.TrySetException(exception);
            }
        };

        async Task CheckAsync(BasicDeliverEventArgs delivery)
        {
            var now = Stopwatch.GetTimestamp();
            using var json = JsonDocument.Parse(delivery.Body);
            var message = json.RootElement.GetProperty("message");
            var kind = json.RootElement.GetProperty("messageType")[0].GetString()!.Split(':')[^1];
            var id = message.GetProperty("scanId").GetGuid();
            if (expected.TryGetValue(id, out var target) && seen.TryAdd(id, kind))
            {
                if ((target.Infected ? "ScanInfected" : "ScanClean") != kind)
                {
                    done.TrySetException(new InvalidOperationException($"scan {id}: expected {(target.Infected ? "infected" : "clean")}, got {kind} {message}"));
                }

                // One consumer callback at a time (the channel's dispatch), so plain counters suffice.
                if (target.Measured)
                {
                    arrivals.Add(now);
                }

                if (target.Measured && ++seenMeasured == 1)
                {
                    first = now;
                    cpuFirst = CpuSplit.Sample(workerPid);
                    measuring();
                }

                if (target.Measured && seenMeasured == measured)
                {
                    last = now;
                    cpuLast = CpuSplit.Sample(workerPid);
                }

                if (seen.Count == expected.Count)
                {
                    done.TrySetResult();
                }
            }

            await channel.BasicAckAsync(delivery.DeliveryTag, false);
        }

        await channel.BasicConsumeAsync(resultsQueue, autoAck: false, consumer);
        await done.Task.WaitAsync(timeout);
        return (Stopwatch.GetElapsedTime(first, last).TotalSeconds, cpuFirst, cpuLast, arrivals);
    }
}

/// <summary>One queued request: its target's JSON, whether it is EICAR, and whether it counts in the row (not warm-up).</summary>
internal sealed record Target(string Json, bool Infected, bool Measured);

/// <summary>Runs one queue scenario: lays out the objects, pre-loads the queue, starts the worker, collects, prints a row.</summary>
internal static class QueueScenario
{
    private const int EicarEvery = 50;

    // The S3 server's keys: s3rver's unless bench/e2e.sh names another server's (Ceph RGW).
    private static readonly string S3AccessKey = Environment.GetEnvironmentVariable("E2E_S3_ACCESS_KEY") ?? "S3RVER";
    private static readonly string S3SecretKey = Environment.GetEnvironmentVariable("E2E_S3_SECRET_KEY") ?? "S3RVER";

    // EICAR in two halves, so this file is not flagged itself.
    private static readonly byte[] Eicar = Encoding.ASCII.GetBytes(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR" + "-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");

    /// <summary>
    /// args: amqp clamd workerDll|floor mount|s3 sizeBytes count [s3 url] (floor: <see cref="FloorConsumer"/>, mount only); prints "&lt;scans/s&gt; | &lt;CPU cells&gt;" for
    /// bench/e2e.sh's row. With <paramref name="cold"/>, nothing is queued ahead to warm the worker up and the line is
    /// <see cref="ColdStart"/>'s instead: how long the fresh process takes to turn ready and then to reach 90 % of its
    /// steady rate.
    /// </summary>
    public static async Task RunAsync(string[] args, bool cold = false)
    {
        var amqp = new Uri(args[0]);
        var clamd = args[1];
        var workerDll = args[2];
        var source = args[3];
        var size = long.Parse(args[4], CultureInfo.InvariantCulture);
        var count = int.Parse(args[5], CultureInfo.InvariantCulture);
        var s3Url = args.Length > 6 ? args[6] : null;
        var run = Guid.NewGuid().ToString("N")[..8];
        var queue = $"bench-requests-{run}";
        var root = Directory.CreateTempSubdirectory("scanworker-bench-mount-").FullName;
        try
        {
            var targets = await LayOutAsync(source, root, run, size, count, cold ? 0 : WarmUp(), s3Url);
            var httpPort = FreePort();
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
                ["Http__Port"] = httpPort.ToString(CultureInfo.InvariantCulture),
                ["Http__SslPort"] = "0",
                ["Http__BindAddress"] = "127.0.0.1",
                ["Mount__Root"] = root,
            };
            if (Environment.GetEnvironmentVariable("BENCH_PROFILER") is { Length: > 0 })
            {
                // Lets perf name JIT-compiled frames: the perf map, and code not double-mapped (W^X), which perf cannot
                // match to the map.
                environment["DOTNET_PerfMapEnabled"] = "1";
                environment["DOTNET_EnableWriteXorExecute"] = "0";
            }

            if (s3Url is not null)
            {
                environment["S3__ServiceUrl"] = s3Url;
                environment["S3__ForcePathStyle"] = "true";
                environment["S3__AccessKey"] = S3AccessKey;
                environment["S3__SecretKey"] = S3SecretKey;
            }

            var started = Stopwatch.GetTimestamp();
            // "floor": the bench's own stand-in (FloorConsumer) instead of the worker; it serves no HTTP.
            var floor = workerDll == "floor";
            if (floor && (cold || source != "mount"))
            {
                throw new ArgumentException("the floor row is warm and mount only: it reads no source");
            }

            using var worker = floor ? StartWorker(typeof(QueueScenario).Assembly.Location, environment, "floor-consumer")
                : StartWorker(workerDll, environment);
            var ready = floor ? Task.FromResult(0L) : ColdStart.WaitUntilReadyAsync(httpPort, worker, TimeSpan.FromMinutes(2));
            // JIT time at ready (cold) or at the first measured result (warm), and at the end: the compiling in the row.
            var jitFirst = cold ? ready.ContinueWith(_ => JitTime.ScrapeAsync(httpPort), TaskScheduler.Default).Unwrap() : null;
            var sampler = cold ? ready.ContinueWith(_ => ColdSampler.Start(worker.Id, httpPort), TaskScheduler.Default) : null;
            // BENCH_PROFILER="perf record ... -p {pid} -- sleep 8": profiles the worker from the first measured result.
            Process? profiler = null;
            var (seconds, cpuFirst, cpuLast, arrivals) = await QueueBench.CollectAsync(amqp, $"bench-results-{run}", expected, worker.Id,
                TimeSpan.FromMinutes(10), measuring: () =>
                {
                    jitFirst ??= floor ? Task.FromResult(double.NaN) : JitTime.ScrapeAsync(httpPort);
                    profiler = StartProfiler(worker.Id);
                });
            var jit = JitTime.Cell(jitFirst is null ? double.NaN : await jitFirst, floor ? double.NaN : await JitTime.ScrapeAsync(httpPort));
            if (profiler is not null)
            {
                await profiler.WaitForExitAsync();
                profiler.Dispose();
            }

            string samples = string.Empty, steadyCpu = "-";
            if (sampler is not null)
            {
                var finished = await sampler;
                await finished.DisposeAsync();
                samples = finished.Describe(arrivals);
                steadyCpu = finished.SteadyCpuCell(arrivals);
            }

            var peakRss = PeakRssMiB(worker.Id);
            worker.Kill(entireProcessTree: true);
            var rate = (count - 1) / seconds;
            if (cold)
            {
                await Console.Error.WriteLineAsync($"{ColdStart.Timeline(started, await ready, arrivals)}; worker peak RSS {peakRss} MiB; {samples}");
            }

            Console.WriteLine(cold
                ? $"{ColdStart.Measure(started, await ready, arrivals)} | {jit} | {steadyCpu}"
                : string.Create(CultureInfo.InvariantCulture, $"{rate:F1} | {CpuSplit.Cells(cpuFirst, cpuLast, count - 1)} | {jit}"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            // Idle quorum queues left behind cost the broker CPU in every later row.
            await QueueBench.DeleteQueuesAsync(amqp, queue, $"bench-results-{run}");
        }
    }

    // VmHWM: the most the process ever held resident (a GC setting that buys speed with memory shows here).
    private static long PeakRssMiB(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(line => line.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024)
            .FirstOrDefault();

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process? StartProfiler(int pid) => Environment.GetEnvironmentVariable("BENCH_PROFILER") is { Length: > 0 } command
        ? Process.Start("/bin/sh", ["-c", command.Replace("{pid}", pid.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)])
        : null;

    // 4 KiB requests ahead of the measured ones (E2E_WARMUP, 20000 unless set): a fresh worker draining a queue spends its
    // first ~20 s recompiling hot code at tier 1, which a long-running worker has behind it.
    private static int WarmUp() => int.TryParse(Environment.GetEnvironmentVariable("E2E_WARMUP"), CultureInfo.InvariantCulture, out var n) ? n : 20000;

    // Every measured clean request names an object of its own with unique content (BenchContent): clamd answers a repeat
    // from its clean-result cache, so a few objects sent again and again would measure that cache, not a scan.
    private static async Task<List<Target>> LayOutAsync(string source, string root, string run, long size, int count, int warmUp, string? s3Url)
    {
        var content = BenchContent.Base(size);
        using var s3 = s3Url is null ? null : new Amazon.S3.AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials(S3AccessKey, S3SecretKey),
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

        var eicar = await PutAsync("eicar.com", Eicar);
        var warm = await PutAsync("warm.bin", content.AsSpan(0, (int)Math.Min(4096, size)).ToArray());
        var measured = new Target[count];
        // A few uploads in flight: the S3 test server answers one at a time per connection.
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            if (i % EicarEvery == EicarEvery - 1)
            {
                measured[i] = new Target(eicar, Infected: true, Measured: true);
                return;
            }

            var unique = BenchContent.Stamped(content, $"bench queue {run} {i:D12}");
            measured[i] = new Target(await PutAsync($"clean-{i}.bin", unique), Infected: false, Measured: true);
        });
        return [.. Enumerable.Range(0, warmUp).Select(_ => new Target(warm, Infected: false, Measured: false)), .. measured];
    }

    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope",
        Justification = "The log is disposed when both of the worker's pipes have ended.")]
    private static Process StartWorker(string dll, Dictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [dll, .. arguments])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
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

        // Runtime knobs given to the bench reach the worker (A/B runs of GC, JIT and thread pool settings), and so do
        // worker settings prefixed E2E_WORKER_ (E2E_WORKER_Messaging__ConcurrentMessageLimit=32), over the row's own.
        foreach (var name in Environment.GetEnvironmentVariables().Keys.OfType<string>())
        {
            if (name.StartsWith("DOTNET_", StringComparison.Ordinal))
            {
                start.Environment[name] = Environment.GetEnvironmentVariable(name);
            }
            else if (name.StartsWith("E2E_WORKER_", StringComparison.Ordinal))
            {
                start.Environment[name["E2E_WORKER_".Length..]] = Environment.GetEnvironmentVariable(name);
            }
        }

        // The worker logs as it ships (a line per scan): read off its pipes as a container runtime would, into a file.
        var process = Process.Start(start)!;
        var log = TextWriter.Synchronized(File.CreateText(WorkerLogPath));
        var open = 2;
        DataReceivedEventHandler write = (_, line) =>
        {
            if (line.Data is not null)
            {
                log.WriteLine(line.Data);
            }
            else if (Interlocked.Decrement(ref open) == 0)
            {
                log.Dispose(); // both pipes ended
            }
        };
        process.OutputDataReceived += write;
        process.ErrorDataReceived += write;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The last row's worker output (its log lines).</summary>
    public static string WorkerLogPath { get; } = Path.Combine(Path.GetTempPath(), "scanworker-bench-worker.log");
}
