using System.Globalization;
using ScanWorker.Clamd;

[assembly: AssemblyFixture(typeof(ScanWorker.Tests.Infrastructure.TestServers))]

namespace ScanWorker.Tests.Infrastructure;

/// <summary>
/// The real servers the tests talk to. Per server: a server named by an environment variable
/// (<c>SCANWORKER_TEST_AMQP</c>, <c>SCANWORKER_TEST_CLAMD</c>, ...) is used as it is; otherwise RabbitMQ comes
/// from <c>Testcontainers.RabbitMq</c> when <c>SCANWORKER_TEST_SERVERS</c> (auto|containers|processes) and the
/// container engine allow it, and everything else from the project's own scripts, started on free loopback
/// ports in a fresh data dir the first time a test asks, and stopped (by PID) when the run ends.
/// <c>SCANWORKER_SERVERS_DIR</c> names the base dir, so a caller can clean up by PID after a crashed run
/// (scripts/servers/stop-all.sh). Every choice is logged (<see cref="ServerUseLog"/>).
/// </summary>
public sealed class TestServers : IAsyncDisposable
{
    /// <summary>StreamMaxLength of the fixture's own small-limits clamd (MaxFileSize equal, MaxScanSize double).</summary>
    public const long SmallClamdStreamMaxBytes = 1024 * 1024;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private readonly string _baseDir;
    private readonly bool _ownsBaseDir;
    private readonly List<(string Script, Dictionary<string, string> Knobs)> _started = [];
    private readonly Lazy<Task<ClamdServer>> _clamd;
    private readonly Lazy<Task<ClamdServer>> _largeClamd;
    private readonly Lazy<Task<RabbitMqServer>> _rabbitMq;
    private Dictionary<string, string>? _rabbitMqKnobs;
    private readonly Lazy<Task<S3Server>> _s3;
    private readonly Lazy<Task<CephRgw>> _rgw;
    private readonly Lazy<Task<RabbitMqCluster>> _cluster;
    private readonly ServerMode _mode = ServerModes.FromEnvironment();
    private readonly ServerUseLog _log;
    private RabbitMqContainerBroker? _brokerContainer;

    public TestServers()
    {
        _ownsBaseDir = Environment.GetEnvironmentVariable("SCANWORKER_SERVERS_DIR") is not { Length: > 0 };
        _baseDir = _ownsBaseDir
            ? Path.Combine(Path.GetTempPath(), "scanworker-tests", Guid.NewGuid().ToString("N")[..12])
            : Environment.GetEnvironmentVariable("SCANWORKER_SERVERS_DIR")!;
        _clamd = new(() => StartClamdAsync("SCANWORKER_TEST_CLAMD", "clamd", "1M"));
        _largeClamd = new(() => StartClamdAsync("SCANWORKER_TEST_CLAMD_LARGE", "clamd-large", "1024M"));
        _rabbitMq = new(StartRabbitMqAsync);
        _s3 = new(StartS3Async);
        _rgw = new(StartCephRgwAsync);
        _cluster = new(StartClusterAsync);
        _log = new ServerUseLog(Environment.GetEnvironmentVariable("SCANWORKER_TEST_RESULTS") is { Length: > 0 } results ? results : _baseDir);
    }

    /// <summary>
    /// The fast tier (<c>SCANWORKER_TEST_TIER=fast</c>, scripts/test.sh fast) runs without servers: a test that asks for
    /// one there is missing its <see cref="RealServersAttribute"/>, and fails saying so instead of starting it.
    /// </summary>
    private static void RefuseInFastTier(string server)
    {
        if (Environment.GetEnvironmentVariable("SCANWORKER_TEST_TIER") == "fast")
        {
            throw new InvalidOperationException(
                $"a fast-tier test asked for {server}: mark its class [RealServers], or give it a fake (FakeClamd, the MassTransit test harness)");
        }
    }

    /// <summary>clamd with limits small enough to test (1 MiB stream limit), TCP and unix socket.</summary>
    public Task<ClamdServer> ClamdAsync() => UseAsync("clamd", _clamd);

    /// <summary>clamd that accepts streams up to 1 GiB, for memory and throughput tests.</summary>
    public Task<ClamdServer> LargeClamdAsync() => UseAsync("clamd-large", _largeClamd);

    public Task<RabbitMqServer> RabbitMqAsync() => UseAsync("rabbitmq", _rabbitMq);

    public Task<S3Server> S3Async() => UseAsync("s3", _s3);

    /// <summary>A real Ceph RGW on a single-node cluster (scripts/servers/ceph-rgw.sh), which sends its own bucket notifications.</summary>
    public Task<CephRgw> CephRgwAsync() => UseAsync("ceph-rgw", _rgw);

    /// <summary>A 3-node RabbitMQ cluster on loopback (scripts/servers/rabbitmq-cluster.sh), shared by the tests that need one.</summary>
    public Task<RabbitMqCluster> RabbitMqClusterAsync() => UseAsync("rabbitmq-cluster", _cluster);

    private async Task<T> UseAsync<T>(string server, Lazy<Task<T>> start)
    {
        RefuseInFastTier(server);
        var started = await start.Value.WaitAsync(StartTimeout);
        _log.Used(server);
        return started;
    }

    /// <summary>
    /// A clamd of the test's own (small limits, like <see cref="ClamdAsync"/>) that the test may stop and
    /// start again on the same address, e.g. to take the scanner away in the middle of a batch.
    /// </summary>
    /// <param name="knobs">Settings of scripts/servers/clamd.sh to change, e.g. <c>CLAMD_DB_DIR</c> for another signature database.</param>
    public async Task<PrivateClamd> StartPrivateClamdAsync(IReadOnlyDictionary<string, string>? knobs = null)
    {
        RefuseInFastTier("clamd-private");
        var name = $"clamd-{Guid.NewGuid():N}"[..14];
        var port = FreePort.Next();
        var settings = new Dictionary<string, string>
        {
            ["CLAMD_DIR"] = Path.Combine(_baseDir, name),
            ["CLAMD_TCP_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["CLAMD_STREAM_MAX"] = "1M",
            ["CLAMD_MAX_THREADS"] = "4",
            ["CLAMD_ALERT_EXCEEDS_MAX"] = "yes",
        };
        foreach (var (knob, value) in knobs ?? new Dictionary<string, string>())
        {
            settings[knob] = value;
        }

        await StartAsync("clamd.sh", settings);
        _log.Chose("clamd-private", "processes", $"scripts/servers/clamd.sh, {name} on tcp 127.0.0.1:{port}");
        _log.Used("clamd-private");
        return new PrivateClamd(ClamdAddress.Tcp("127.0.0.1", port), settings, StartTimeout, StopTimeout);
    }

    /// <summary>
    /// A fresh, empty virtual host on the fixture's own broker, for tests that must see what the worker
    /// declares by itself. Fails when the broker was named by SCANWORKER_TEST_AMQP (it is not ours to change).
    /// </summary>
    public async Task<RabbitMqServer> CreateVirtualHostAsync()
    {
        var broker = await RabbitMqAsync();
        var vhost = $"test-{Guid.NewGuid():N}"[..17];
        if (_brokerContainer is { } container)
        {
            using var cts = new CancellationTokenSource(StartTimeout);
            return await container.CreateVirtualHostAsync(vhost, cts.Token);
        }

        var knobs = _rabbitMqKnobs
            ?? throw new InvalidOperationException("SCANWORKER_TEST_AMQP names an external broker; this test needs the fixture's own.");
        await ServerScript.RunAsync("rabbitmq.sh", "add-vhost", knobs, StartTimeout, vhost);
        return new RabbitMqServer(new Uri(broker.Amqp, vhost));
    }

    /// <summary>
    /// A RabbitMQ of the test's own (scripts/servers/rabbitmq.sh) with extra <paramref name="knobs"/>, e.g. a TLS listener;
    /// returned by its plain AMQP port, and stopped with the fixture.
    /// </summary>
    public async Task<RabbitMqServer> StartPrivateRabbitMqAsync(IReadOnlyDictionary<string, string> knobs)
    {
        RefuseInFastTier("rabbitmq-private");
        ArgumentNullException.ThrowIfNull(knobs);
        var name = $"rabbitmq-{Guid.NewGuid():N}"[..17];
        var port = FreePort.Next();
        var settings = new Dictionary<string, string>
        {
            ["RMQ_DIR"] = Path.Combine(_baseDir, name),
            ["RMQ_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["RMQ_DIST_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["RMQ_EPMD_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (knob, value) in knobs)
        {
            settings[knob] = value;
        }

        await StartAsync("rabbitmq.sh", settings);
        _log.Chose("rabbitmq-private", "processes", $"scripts/servers/rabbitmq.sh, {name} on 127.0.0.1:{port}");
        _log.Used("rabbitmq-private");
        return new RabbitMqServer(new Uri($"amqp://guest:guest@127.0.0.1:{port}/"));
    }

    /// <summary>A new login with full rights on <paramref name="vhost"/> of the fixture's own broker (fails for an external one).</summary>
    public async Task CreateBrokerUserAsync(string user, string password, string vhost)
    {
        await RabbitMqAsync();
        if (_brokerContainer is { } container)
        {
            using var cts = new CancellationTokenSource(StartTimeout);
            await container.CreateUserAsync(user, password, vhost, cts.Token);
            return;
        }

        var knobs = _rabbitMqKnobs
            ?? throw new InvalidOperationException("SCANWORKER_TEST_AMQP names an external broker; this test needs the fixture's own.");
        await ServerScript.RunAsync("rabbitmq.sh", "add-user", knobs, StartTimeout, user, password, vhost);
    }

    private async Task<ClamdServer> StartClamdAsync(string variable, string name, string streamMax)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } address)
        {
            _log.Chose(name, "external", $"{variable}={address}");
            return new ClamdServer(
                ClamdAddress.Parse(address),
                Environment.GetEnvironmentVariable(variable + "_SOCKET") is { Length: > 0 } socket ? ClamdAddress.Unix(socket) : null,
                Environment.GetEnvironmentVariable(variable + "_STREAM_MAX") is { Length: > 0 } max
                    ? long.Parse(max, CultureInfo.InvariantCulture)
                    : ParseSize(streamMax));
        }

        var dir = Path.Combine(_baseDir, name);
        var port = FreePort.Next();
        await StartAsync("clamd.sh", new()
        {
            ["CLAMD_DIR"] = dir,
            ["CLAMD_TCP_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["CLAMD_STREAM_MAX"] = streamMax,
            ["CLAMD_MAX_THREADS"] = "4",
            ["CLAMD_ALERT_EXCEEDS_MAX"] = "yes",
        });
        _log.Chose(name, "processes", $"scripts/servers/clamd.sh, tcp 127.0.0.1:{port}; clamd has no container path");
        return new ClamdServer(ClamdAddress.Tcp("127.0.0.1", port), ClamdAddress.Unix(Path.Combine(dir, "clamd.sock")), ParseSize(streamMax));
    }

    private async Task<RabbitMqServer> StartRabbitMqAsync()
    {
        if (Environment.GetEnvironmentVariable("SCANWORKER_TEST_AMQP") is { Length: > 0 } uri)
        {
            _log.Chose("rabbitmq", "external", "SCANWORKER_TEST_AMQP");
            return new RabbitMqServer(new Uri(uri));
        }

        var noEngine = _mode == ServerMode.Processes ? $"{ServerModes.Variable}=processes" : await ContainerEngine.WhyNotAsync();
        if (noEngine is null)
        {
            using var cts = new CancellationTokenSource(StartTimeout);
            _brokerContainer = await RabbitMqContainerBroker.StartAsync(cts.Token);
            var server = _brokerContainer.Server;
            _log.Chose("rabbitmq", "containers", $"Testcontainers.RabbitMq, image {_brokerContainer.Image}, network "
                + $"{_brokerContainer.Network ?? "engine default"}, engine {ContainerEngine.Endpoint}, {server.Amqp.Host}:{server.Amqp.Port}");
            return server;
        }

        if (_mode == ServerMode.Containers)
        {
            throw new InvalidOperationException($"{ServerModes.Variable}=containers, but no container engine answers: {noEngine}. "
                + "Start one (scripts/containers/engine.sh start, then eval \"$(scripts/containers/engine.sh env)\") or use auto/processes.");
        }

        var port = FreePort.Next();
        _rabbitMqKnobs = new()
        {
            ["RMQ_DIR"] = Path.Combine(_baseDir, "rabbitmq"),
            ["RMQ_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["RMQ_DIST_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["RMQ_EPMD_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        };
        await StartAsync("rabbitmq.sh", _rabbitMqKnobs);
        _log.Chose("rabbitmq", "processes", $"scripts/servers/rabbitmq.sh, 127.0.0.1:{port}; {noEngine}");
        return new RabbitMqServer(new Uri($"amqp://guest:guest@127.0.0.1:{port}/"));
    }

    private async Task<S3Server> StartS3Async()
    {
        var accessKey = Environment.GetEnvironmentVariable("SCANWORKER_TEST_S3_ACCESS_KEY") ?? "S3RVER";
        var secretKey = Environment.GetEnvironmentVariable("SCANWORKER_TEST_S3_SECRET_KEY") ?? "S3RVER";
        if (Environment.GetEnvironmentVariable("SCANWORKER_TEST_S3") is { Length: > 0 } url)
        {
            _log.Chose("s3", "external", $"SCANWORKER_TEST_S3={url}");
            return new S3Server(new Uri(url), accessKey, secretKey);
        }

        var port = FreePort.Next();
        await StartAsync("s3.sh", new()
        {
            ["S3_DIR"] = Path.Combine(_baseDir, "s3"),
            ["S3_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["S3_BUCKETS"] = "scan-input",
        });
        _log.Chose("s3", "processes", $"scripts/servers/s3.sh, 127.0.0.1:{port}; S3 has no container path");
        return new S3Server(new Uri($"http://127.0.0.1:{port}"), accessKey, secretKey);
    }

    private async Task<CephRgw> StartCephRgwAsync()
    {
        var port = FreePort.Next();
        var knobs = new Dictionary<string, string>
        {
            ["RGW_DIR"] = Path.Combine(_baseDir, "ceph"),
            ["RGW_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["RGW_MON_PORT"] = FreePort.NextRun(2).ToString(CultureInfo.InvariantCulture),
            ["RGW_OSD_PORTS"] = FreePort.NextRun(10).ToString(CultureInfo.InvariantCulture),
            ["RGW_BUCKETS"] = "scan-input",
        };
        await StartAsync("ceph-rgw.sh", knobs);
        _log.Chose("ceph-rgw", "processes", $"scripts/servers/ceph-rgw.sh, 127.0.0.1:{port}; Ceph has no container path");
        return new CephRgw(knobs, new Uri($"http://127.0.0.1:{port}"), "scanworker-rgw", "scanworker-rgw-secret", "scanworker");
    }

    private async Task<RabbitMqCluster> StartClusterAsync()
    {
        var knobs = new Dictionary<string, string>
        {
            ["RMQC_DIR"] = Path.Combine(_baseDir, "rabbitmq-cluster"),
            ["RMQC_PORT"] = FreePort.NextRun(RabbitMqCluster.Size).ToString(CultureInfo.InvariantCulture),
            ["RMQC_EPMD_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        };
        await StartAsync("rabbitmq-cluster.sh", knobs);
        var cluster = new RabbitMqCluster(knobs, StartTimeout);
        _log.Chose("rabbitmq-cluster", "processes", $"scripts/servers/rabbitmq-cluster.sh, {RabbitMqCluster.Size} nodes from 127.0.0.1:{knobs["RMQC_PORT"]}");
        return cluster;
    }

    private async Task StartAsync(string script, Dictionary<string, string> knobs)
    {
        lock (_started)
        {
            _started.Add((script, knobs));
        }

        await ServerScript.RunAsync(script, "start", knobs, StartTimeout);
    }

    private static long ParseSize(string size) => size.EndsWith('M')
        ? long.Parse(size[..^1], CultureInfo.InvariantCulture) * 1024 * 1024
        : long.Parse(size, CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        (string Script, Dictionary<string, string> Knobs)[] started;
        lock (_started)
        {
            started = [.. _started];
        }

        _log.Write();
        await Task.WhenAll(started.Select(server => ServerScript.RunAsync(server.Script, "stop", server.Knobs, StopTimeout)));
        if (_brokerContainer is not null)
        {
            await _brokerContainer.DisposeAsync();
        }

        if (_ownsBaseDir && Directory.Exists(_baseDir))
        {
            Directory.Delete(_baseDir, recursive: true);
        }
    }
}
