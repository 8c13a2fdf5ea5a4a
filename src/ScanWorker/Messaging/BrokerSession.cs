using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Diagnostics;

namespace ScanWorker.Messaging;

/// <summary>
/// The state of the broker connection as an operator needs it: the current cause when it fails (one log line per cause,
/// not a stack per reconnect attempt), and a bus that heals. MassTransit retries a lost connection by itself, but a bus
/// whose start failed on a refused login (wrong password, a user created after the worker, a rotated secret) stays
/// faulted for good, and so does each receive endpoint that met it; here both are started again with growing pauses
/// (2 s doubling to 60 s) until the login works.
/// </summary>
internal sealed class BrokerSession(
    IServiceProvider services,
    IOptions<RabbitMqTransportOptions> broker,
    TimeProvider time,
    ILogger<BrokerSession> logger) : BackgroundService, IBusObserver, IReceiveEndpointObserver
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(60);

    // One wake-up is enough however many endpoints gave up: each pass restarts all of them.
    private readonly System.Threading.Channels.Channel<bool> _gaveUp = System.Threading.Channels.Channel.CreateBounded<bool>(
        new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<Uri, IReceiveEndpoint> _stranded = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Uri, byte> _consuming = new();

    // The causes logged since the session last worked. Endpoints report their faults independently, so a stale attempt
    // can report a cause again after a newer one (refused login, vhost refused, refused login): still one line per cause.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _causesLogged = new(StringComparer.Ordinal);
    private int _busStartFaulted;
    private string? _problem;

    /// <summary>Why the broker session is failing right now, or null while it is not known to be.</summary>
    public string? Problem => Volatile.Read(ref _problem);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pause = FirstPause;
        await foreach (var _ in _gaveUp.Reader.ReadAllAsync(stoppingToken))
        {
            await Task.Delay(pause, time, stoppingToken);
            pause = pause * 2 > LongestPause ? LongestPause : pause * 2;
            if (Interlocked.Exchange(ref _busStartFaulted, 0) == 1)
            {
                await RestartBusAsync(stoppingToken);
            }

            KeyValuePair<Uri, IReceiveEndpoint>[] endpoints;
            lock (_stranded)
            {
                endpoints = [.. _stranded];
                _stranded.Clear();
            }

            foreach (var (address, endpoint) in endpoints)
            {
                await RestartEndpointAsync(address, endpoint, stoppingToken);
            }

            if (Problem is null)
            {
                pause = FirstPause;
            }
        }
    }

    // The bus marks itself faulted for good when its start failed; a start that succeeds clears that (its endpoints are
    // restarted one by one below, the bus does not restart endpoints that faulted).
    private async Task RestartBusAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(LongestPause);
            await services.GetRequiredService<IBusControl>().StartAsync(timeout.Token);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            logger.BrokerStartRetryFailed(exception.GetBaseException().Message);
        }
    }

    private async Task RestartEndpointAsync(Uri address, IReceiveEndpoint endpoint, CancellationToken stoppingToken)
    {
        try
        {
            await endpoint.Stop(stoppingToken);
            endpoint.Start(stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            logger.BrokerStartRetryFailed($"{address}: {exception.GetBaseException().Message}");
            Strand(address, endpoint);
        }
    }

    private void Strand(Uri address, IReceiveEndpoint endpoint)
    {
        lock (_stranded)
        {
            _stranded[address] = endpoint;
        }

        _gaveUp.Writer.TryWrite(true);
    }

    public Task StartFaulted(IBus bus, Exception exception)
    {
        Fail(exception);
        Interlocked.Exchange(ref _busStartFaulted, 1);
        _gaveUp.Writer.TryWrite(true);
        return Task.CompletedTask;
    }

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        ArgumentNullException.ThrowIfNull(faulted);
        if (faulted.Exception is { } exception)
        {
            Fail(exception);
            // MassTransit retries every connection failure but a refused login; that endpoint it leaves stopped for good.
            if (BrokerFault.IsRefusedLogin(exception))
            {
                Strand(faulted.InputAddress, faulted.ReceiveEndpoint);
            }
        }

        return Task.CompletedTask;
    }

    public Task Ready(ReceiveEndpointReady ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        // Once per queue (the bus's own temporary endpoint is not worth a line).
        if (!ready.InputAddress.Query.Contains("temporary=true", StringComparison.Ordinal) && _consuming.TryAdd(ready.InputAddress, 0))
        {
            logger.Consuming(ready.InputAddress.AbsolutePath.TrimStart('/'));
        }

        if (Interlocked.Exchange(ref _problem, null) is { } was)
        {
            _causesLogged.Clear();
            logger.BrokerSessionRestored(was);
        }

        return Task.CompletedTask;
    }

    private void Fail(Exception exception)
    {
        var cause = BrokerFault.Describe(exception, broker.Value);
        Volatile.Write(ref _problem, cause);
        if (_causesLogged.TryAdd(cause, 0))
        {
            logger.BrokerSessionFailed(cause);
        }
    }

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    public Task PreStart(IBus bus) => Task.CompletedTask;

    public Task PostStart(IBus bus, Task<BusReady> busReady) => Task.CompletedTask;

    public Task PreStop(IBus bus) => Task.CompletedTask;

    public Task PostStop(IBus bus) => Task.CompletedTask;

    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;
}
