using MassTransit;
using ScanWorker.Clamd;
using ScanWorker.Diagnostics;

namespace ScanWorker.Messaging;

/// <summary>
/// Stops the receive endpoints whose consumers scan (scan requests, bucket objects) while clamd is known down, and
/// starts them again when it answers: their messages stay in the broker, where another worker with a live clamd can take
/// them, and no retry is spent on a scanner that is not there. Stopping lets the scans in flight finish (they wait for
/// clamd in <see cref="QueuedScans"/>) for up to Messaging:DrainTimeout; one still waiting then is redelivered.
/// One change at a time, always towards the breaker's latest state.
/// </summary>
internal sealed class ScanEndpointPause : IReceiveEndpointObserver, IDisposable
{
    private readonly ClamdAvailability _clamd;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<ScanEndpointPause> _logger;
    private readonly HashSet<string> _scanQueues;
    private readonly SemaphoreSlim _oneChange = new(1, 1);
    private readonly Dictionary<string, IReceiveEndpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly HashSet<string> _paused = new(StringComparer.Ordinal);

    public ScanEndpointPause(ClamdAvailability clamd, IEnumerable<IReceiveEndpoints> useCases, IServiceProvider services,
        IHostApplicationLifetime lifetime, ILogger<ScanEndpointPause> logger)
    {
        ArgumentNullException.ThrowIfNull(useCases);
        _clamd = clamd;
        _lifetime = lifetime;
        _logger = logger;
        _scanQueues = new(useCases.SelectMany(useCase => useCase.QueuesThatScan(services)), StringComparer.Ordinal);

        _clamd.Changed += _ => FollowAsync().ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    public Task Ready(ReceiveEndpointReady ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        var queue = QueueOf(ready.InputAddress);
        if (!_scanQueues.Contains(queue))
        {
            return Task.CompletedTask;
        }

        lock (_endpoints)
        {
            _endpoints[queue] = ready.ReceiveEndpoint;
        }

        // An endpoint that became ready while clamd was already down pauses at once; not awaited here, because the bus
        // may wait for this observer before it calls the endpoint ready, and a pause in progress may wait for that.
        if (_clamd.IsDown)
        {
            _ = FollowAsync();
        }

        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    private async Task FollowAsync()
    {
        await _oneChange.WaitAsync();
        try
        {
            KeyValuePair<string, IReceiveEndpoint>[] endpoints;
            lock (_endpoints)
            {
                endpoints = [.. _endpoints];
            }

            foreach (var (queue, endpoint) in endpoints)
            {
                // On shutdown the bus stops every endpoint itself; starting one again would race it.
                if (_lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    return;
                }

                await FollowAsync(queue, endpoint);
            }
        }
        finally
        {
            _oneChange.Release();
        }
    }

    private async Task FollowAsync(string queue, IReceiveEndpoint endpoint)
    {
        var down = _clamd.IsDown;
        try
        {
            if (down && _paused.Add(queue))
            {
                // Said once it holds: the broker delivers nothing more, and what was in flight is back in the queue.
                await endpoint.Stop(_lifetime.ApplicationStopping);
                _logger.ScanQueuePaused(queue);
            }
            else if (!down && _paused.Remove(queue))
            {
                _logger.ScanQueueResumed(queue);
                // Not waiting for Ready: with the broker away too, the endpoint becomes ready only once it is back.
                endpoint.Start(_lifetime.ApplicationStopping);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger.ScanQueuePauseFailed(queue, exception.Message);
        }
    }

    private static string QueueOf(Uri address) => address.AbsolutePath[(address.AbsolutePath.LastIndexOf('/') + 1)..];

    public void Dispose() => _oneChange.Dispose();
}
