using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>Records the worker's log events so a test can wait for one by its event id (event-driven).</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource<string>> _first = new();
    private readonly ConcurrentQueue<(int EventId, string Message)> _events = new();

    public IReadOnlyCollection<(int EventId, string Message)> Events => _events;

    public Task<string> FirstAsync(int eventId, TimeSpan timeout) =>
        Waiter(eventId).Task.WaitAsync(timeout, TestContext.Current.CancellationToken);

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
            capture._events.Enqueue((eventId.Id, message));
            capture.Waiter(eventId.Id).TrySetResult(message);
        }
    }
}
