using System.Globalization;
using System.Text;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using ScanWorker.Contracts;
using ScanWorker.Hosting;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>
/// The real worker (the same composition as Program.cs) on real Kestrel, wired to the fixture's
/// servers, with a queue of its own so that tests running side by side do not take each other's work.
/// </summary>
internal sealed class WorkerHost : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly WebApplication _app;
    private bool _stopped;

    private EndpointReadyObserver? _readiness;

    /// <summary>
    /// Completes once the scan-request queue's endpoint has become ready <paramref name="times"/> times (2: consuming again
    /// after a pause), so the worker is not stopped while the endpoint restarts.
    /// </summary>
    public Task ScanQueueReadyAsync(int times, TimeSpan timeout) =>
        (_readiness ?? throw new InvalidOperationException("this worker has no queue")).ReadyTimesAsync(Queue, times).WaitAsync(timeout);

    private WorkerHost(WebApplication app, string queue, string mountRoot, RabbitMqServer broker, LogCapture logs)
    {
        Logs = logs;
        _app = app;
        Queue = queue;
        MountRoot = mountRoot;
        Broker = broker;
    }

    public string Queue { get; }

    /// <summary>The worker's own log events (ScanWorker categories), for waiting on one.</summary>
    public LogCapture Logs { get; }

    public string ErrorQueue => Queue + "_error";

    public string MountRoot { get; }

    public RabbitMqServer Broker { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Where Kestrel listens (an ephemeral loopback port).</summary>
    public Uri BaseAddress => new(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
        .Addresses.First());

    /// <summary>An HTTP/1.1 client for this worker's HTTP surface.</summary>
    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>
    /// Starts a worker; <paramref name="configure"/> may change any setting (e.g. point Clamd:Address elsewhere). It returns
    /// once the worker consumes its queues, unless <paramref name="waitForQueues"/> is false (a worker the broker refuses).
    /// </summary>
    public static async Task<WorkerHost> StartAsync(TestServers servers, Action<Dictionary<string, string?>>? configure = null,
        string? queue = null, string? mountRoot = null, Action<IServiceCollection>? services = null, RabbitMqServer? broker = null,
        bool waitForQueues = true)
    {
        var clamd = await servers.ClamdAsync();
        broker ??= await servers.RabbitMqAsync();
        var s3 = await servers.S3Async();
        queue ??= $"scan-requests-{Guid.NewGuid():N}"[..26];
        mountRoot ??= Directory.CreateTempSubdirectory("scanworker-mount-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Http:BindAddress"] = "127.0.0.1",
            ["Http:Port"] = "0",
            ["Http:SslPort"] = "0",
            ["Clamd:Address"] = clamd.Tcp.ToString(),
            ["RabbitMq:Host"] = broker.Amqp.Host,
            ["RabbitMq:Port"] = broker.Amqp.Port.ToString(CultureInfo.InvariantCulture),
            ["RabbitMq:VHost"] = broker.VirtualHost,
            ["RabbitMq:User"] = broker.User,
            ["RabbitMq:Pass"] = broker.Password,
            ["S3:ServiceUrl"] = s3.ServiceUrl.ToString(),
            ["S3:ForcePathStyle"] = "true",
            ["S3:AccessKey"] = s3.AccessKey,
            ["S3:SecretKey"] = s3.SecretKey,
            ["Mount:Root"] = mountRoot,
            ["Messaging:ScanRequestsQueue"] = queue,
            ["Messaging:RetryMinInterval"] = "00:00:00.100",
            ["Messaging:RetryMaxInterval"] = "00:00:00.500",
            ["Scanning:MaxObjectBytes"] = clamd.StreamMaxBytes.ToString(CultureInfo.InvariantCulture),
        };
        configure?.Invoke(settings);
        var messaging = settings.GetValueOrDefault("Messaging:Enabled") != "false";

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new LogCapture();
        builder.Logging.AddProvider(logs);
        builder.Logging.AddFilter<LogCapture>("ScanWorker", LogLevel.Debug);
        builder.AddScanWorker();
        var readyQueues = new List<string> { queue };
        if (settings.GetValueOrDefault("BucketEvents:Enabled") == "true")
        {
            readyQueues.AddRange(new[] { "Queue", "ObjectsQueue", "RescanQueue", "RescanRequestsQueue", "RescanProgressQueue", "SignatureUpdatesQueue" }
                .Select(name => settings[$"BucketEvents:{name}"]!));
        }

        var ready = new EndpointReadyObserver(readyQueues);
        builder.Services.AddReceiveEndpointObserver(_ => ready);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapScanWorkerEndpoints();
        await app.StartAsync(TestContext.Current.CancellationToken);
        if (messaging && waitForQueues)
        {
            await ready.Ready.WaitAsync(StartTimeout);
        }

        return new WorkerHost(app, queue, mountRoot, broker, logs) { _readiness = ready };
    }

    /// <summary>
    /// Sends a MassTransit envelope to this worker's endpoint, through the exchange MassTransit binds to its
    /// queue (a <c>queue:</c> address would re-declare the queue, which fails for a quorum queue).
    /// </summary>
    public async Task SendAsync(ScanRequested request)
    {
        var endpoint = await Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"exchange:{Queue}"));
        await endpoint.Send(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Publishes raw bytes to this worker's queue with a plain AMQP client, as a non-.NET producer would.</summary>
    public Task PublishRawAsync(string body, string? contentType = "application/json") =>
        PublishToExchangeAsync(string.Empty, body, routingKey: Queue, contentType);

    /// <summary>Publishes bytes exactly as given (not UTF-8, a byte order mark) to this worker's queue.</summary>
    public Task PublishRawAsync(byte[] body, string? contentType = "application/json") =>
        PublishBytesAsync(string.Empty, body, routingKey: Queue, contentType);

    /// <summary>Publishes raw bytes to an exchange, as an object store publishes its notifications.</summary>
    public Task PublishToExchangeAsync(string exchange, string body, string routingKey = "", string? contentType = "application/json") =>
        PublishBytesAsync(exchange, Encoding.UTF8.GetBytes(body), routingKey, contentType);

    private async Task PublishBytesAsync(string exchange, byte[] body, string routingKey, string? contentType)
    {
        var token = TestContext.Current.CancellationToken;
        await using var connection = await new ConnectionFactory { Uri = Broker.Amqp }.CreateConnectionAsync(token);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), token);
        var properties = new BasicProperties { ContentType = contentType, Persistent = true };
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body, token);
    }

    /// <summary>How many messages wait in <paramref name="queue"/> right now; 0 when it was never declared.</summary>
    public async Task<uint> CountMessagesAsync(string queue)
    {
        var token = TestContext.Current.CancellationToken;
        await using var connection = await new ConnectionFactory { Uri = Broker.Amqp }.CreateConnectionAsync(token);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: token);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, token)).MessageCount;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            // Bounded: a worker that cannot stop fails the test saying so, instead of holding it until its own timeout.
            await _app.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(90));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Completes when every named queue's endpoint is ready (consuming), so nothing published after it is missed.</summary>
    private sealed class EndpointReadyObserver(IReadOnlyCollection<string> queues) : IReceiveEndpointObserver
    {
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _seen = new(StringComparer.Ordinal);
        private readonly List<(string Queue, int Times, TaskCompletionSource Done)> _waiters = [];
        private readonly Dictionary<string, int> _readyTimes = new(StringComparer.Ordinal);

        public Task Ready => _ready.Task;

        /// <summary>Completes once <paramref name="queue"/>'s endpoint has become ready <paramref name="times"/> times in all.</summary>
        public Task ReadyTimesAsync(string queue, int times)
        {
            lock (_waiters)
            {
                if (_readyTimes.GetValueOrDefault(queue) >= times)
                {
                    return Task.CompletedTask;
                }

                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((queue, times, done));
                return done.Task;
            }
        }

        Task IReceiveEndpointObserver.Ready(ReceiveEndpointReady ready)
        {
            var name = ready.InputAddress.AbsolutePath[(ready.InputAddress.AbsolutePath.LastIndexOf('/') + 1)..];
            lock (_waiters)
            {
                var count = _readyTimes[name] = _readyTimes.GetValueOrDefault(name) + 1;
                foreach (var waiter in _waiters.Where(waiter => waiter.Queue == name && count >= waiter.Times).ToList())
                {
                    waiter.Done.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }

            if (queues.Contains(name, StringComparer.Ordinal))
            {
                _seen[name] = true;
                if (_seen.Count == queues.Count)
                {
                    _ready.TrySetResult();
                }
            }

            return Task.CompletedTask;
        }

        public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

        public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

        public Task Faulted(ReceiveEndpointFaulted faulted)
        {
            _ready.TrySetException(faulted.Exception ?? new InvalidOperationException($"endpoint {faulted.InputAddress} faulted"));
            return Task.CompletedTask;
        }
    }
}
