using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>Records the worker's log events so a test can wait for one by its event id (event-driven).</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource<string>> _first = new();
    private readonly ConcurrentQueue<(int EventId, string Message)> _events = new();
    private readonly List<(int EventId, Func<string, bool> Predicate, TaskCompletionSource<string> Done)> _matchers = [];

    public IReadOnlyCollection<(int EventId, string Message)> Events => _events;

    public Task<string> FirstAsync(int eventId, TimeSpan timeout) =>
        Waiter(eventId).Task.WaitAsync(timeout, TestContext.Current.CancellationToken);

    /// <summary>The first event <paramref name="eventId"/> whose message satisfies <paramref name="predicate"/>, past or future.</summary>
    public Task<string> WaitForAsync(int eventId, Func<string, bool> predicate, TimeSpan timeout)
    {
        var waiter = (eventId, predicate, done: new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_matchers)
        {
            _matchers.Add(waiter);
            foreach (var (id, message) in _events)
            {
                if (id == eventId && predicate(message))
                {
                    waiter.done.TrySetResult(message);
                    break;
                }
            }
        }

        return waiter.done.Task.WaitAsync(timeout, TestContext.Current.CancellationToken);
    }

    /// <summary>The last <paramref name="count"/> events, one per line, for a failure message that says what the worker did.</summary>
    public string Tail(int count) =>
        string.Join(Environment.NewLine, _events.TakeLast(count).Select(logged => $"  {logged.EventId}: {logged.Message}"));

    /// <summary>Messages of event <paramref name="eventId"/> logged so far.</summary>
    public IReadOnlyList<string> MessagesOf(int eventId) => [.. _events.Where(logged => logged.EventId == eventId).Select(logged => logged.Message)];

    public ILogger CreateLogger(string categoryName) => new Recorder(this);

    public void Dispose()
    {
    }

    private TaskCompletionSource<string> Waiter(int eventId) =>
        _first.GetOrAdd(eventId, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));

    private sealed class Recorder(LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 0)
            {
                return;
            }

            var message = formatter(state, exception);
            lock (capture._matchers)
            {
                capture._events.Enqueue((eventId.Id, message));
                foreach (var matcher in capture._matchers.Where(matcher => matcher.EventId == eventId.Id && matcher.Predicate(message)))
                {
                    matcher.Done.TrySetResult(message);
                }
            }

            capture.Waiter(eventId.Id).TrySetResult(message);
        }
    }
}
