using System.Collections.Concurrent;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>
/// Subscribes to every result the workers publish (the <c>ScanCompleted</c> exchange) with its own
/// exclusive queue, and lets a test wait for the results of the scan ids it sent. Event-driven: no polling.
/// </summary>
internal sealed class ResultListener : IAsyncDisposable
{
    public const string ResultsExchange = "ScanWorker.Contracts:ScanCompleted";

    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<ScanResult>> _results = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<ScanResult>> _waiters = new();
    private readonly List<Matcher> _matchers = [];
    private readonly List<ScanResult> _arrived = [];

    private ResultListener(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    /// <param name="broker">Where the workers publish.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <param name="exchange">Another event's exchange, e.g. <c>ScanWorker.Contracts:RescanCompleted</c>.</param>
    public static async Task<ResultListener> StartAsync(RabbitMqServer broker, CancellationToken cancellationToken, string exchange = ResultsExchange)
    {
        var connection = await new ConnectionFactory { Uri = broker.Amqp }.CreateConnectionAsync(cancellationToken);
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var listener = new ResultListener(connection, channel);
        // Declared as MassTransit declares it (fanout, durable), so whichever side comes first, both agree.
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false,
            cancellationToken: cancellationToken);
        var queue = await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true,
            cancellationToken: cancellationToken);
        await channel.QueueBindAsync(queue.QueueName, exchange, string.Empty, cancellationToken: cancellationToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            listener.Record(delivery.Body.ToArray());
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer, cancellationToken);
        return listener;
    }

    /// <summary>The first result for <paramref name="scanId"/>, waiting for it if needed.</summary>
    public Task<ScanResult> WaitForAsync(Guid scanId, TimeSpan timeout)
    {
        var waiter = _waiters.GetOrAdd(scanId, _ => new TaskCompletionSource<ScanResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_results.TryGetValue(scanId, out var seen) && seen.TryPeek(out var first))
        {
            waiter.TrySetResult(first);
        }

        return waiter.Task.WaitAsync(timeout, TestContext.Current.CancellationToken);
    }

    public async Task<ScanResult[]> WaitForAllAsync(IEnumerable<Guid> scanIds, TimeSpan timeout) =>
        await Task.WhenAll(scanIds.Select(id => WaitForAsync(id, timeout)));

    /// <summary>
    /// The first <paramref name="count"/> results (in arrival order) that satisfy <paramref name="predicate"/>, for results
    /// whose scan ids the test does not choose (bucket events, rescans).
    /// </summary>
    public Task<IReadOnlyList<ScanResult>> WaitForMatchesAsync(Func<ScanResult, bool> predicate, int count, TimeSpan timeout)
    {
        var matcher = new Matcher(predicate, count);
        lock (_matchers)
        {
            foreach (var result in _arrived)
            {
                matcher.Offer(result);
            }

            _matchers.Add(matcher);
        }

        return matcher.Done.Task.WaitAsync(timeout, TestContext.Current.CancellationToken);
    }

    public async Task<ScanResult> WaitForMatchAsync(Func<ScanResult, bool> predicate, TimeSpan timeout) =>
        (await WaitForMatchesAsync(predicate, 1, timeout))[0];

    /// <summary>Every result that arrived so far, in arrival order.</summary>
    public IReadOnlyList<ScanResult> Arrived
    {
        get
        {
            lock (_matchers)
            {
                return [.. _arrived];
            }
        }
    }

    /// <summary>Every result seen so far for <paramref name="scanId"/>.</summary>
    public IReadOnlyList<ScanResult> AllFor(Guid scanId) => _results.TryGetValue(scanId, out var seen) ? [.. seen] : [];

    private void Record(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var envelope = document.RootElement;
        var message = envelope.GetProperty("message").Clone();
        var kinds = envelope.GetProperty("messageType").EnumerateArray()
            .Select(type => type.GetString()!)
            .Select(urn => urn[(urn.LastIndexOf(':') + 1)..])
            .ToList();
        var result = new ScanResult(kinds.FirstOrDefault(name => name is "ScanClean" or "ScanInfected" or "ScanError") ?? kinds[0], message);
        if (message.TryGetProperty("scanId", out _))
        {
            _results.GetOrAdd(result.ScanId, _ => new ConcurrentQueue<ScanResult>()).Enqueue(result);
            if (_waiters.TryGetValue(result.ScanId, out var waiter))
            {
                waiter.TrySetResult(result);
            }
        }

        lock (_matchers)
        {
            _arrived.Add(result);
            foreach (var matcher in _matchers)
            {
                matcher.Offer(result);
            }
        }
    }

    private sealed class Matcher(Func<ScanResult, bool> predicate, int count)
    {
        private readonly List<ScanResult> _matched = [];

        public TaskCompletionSource<IReadOnlyList<ScanResult>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Offer(ScanResult result)
        {
            if (_matched.Count < count && predicate(result))
            {
                _matched.Add(result);
                if (_matched.Count == count)
                {
                    Done.TrySetResult([.. _matched]);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

/// <summary>One result event as it arrived: its type name and its JSON.</summary>
internal sealed record ScanResult(string Kind, JsonElement Message)
{
    public Guid ScanId => Message.GetProperty("scanId").GetGuid();

    public string? Reason => Message.TryGetProperty("reason", out var reason) ? reason.GetString() : null;

    public bool Transient => Message.TryGetProperty("transient", out var transient) && transient.GetBoolean();

    public long ScannedBytes => Message.GetProperty("scannedBytes").GetInt64();

    public string? Sha256 => Message.TryGetProperty("sha256", out var sha) && sha.ValueKind == JsonValueKind.String ? sha.GetString() : null;

    public IReadOnlyList<string> Signatures => Message.TryGetProperty("signatures", out var signatures)
        ? [.. signatures.EnumerateArray().Select(signature => signature.GetString()!)]
        : [];

    public string Detail => Message.TryGetProperty("detail", out var detail) ? detail.GetString() ?? string.Empty : string.Empty;

    public string? TargetKey => Message.GetProperty("target").TryGetProperty("key", out var key) ? key.GetString() : null;

    public string? TargetBucket => Message.GetProperty("target").TryGetProperty("bucket", out var bucket) ? bucket.GetString() : null;

    /// <summary>A value of the echoed metadata, or null.</summary>
    public string? MetadataValue(string name) =>
        Message.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
        && metadata.TryGetProperty(name, out var value) ? value.GetString() : null;

    public override string ToString() => $"{Kind} {Reason} {Detail}";
}
