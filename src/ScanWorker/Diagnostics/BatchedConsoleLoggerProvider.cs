using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ScanWorker.Diagnostics;

/// <summary>
/// The console logger, with its writes batched (<see cref="ConsoleBatchWriter"/>). Everything else is Microsoft's: the
/// same formatters (<c>Logging__Console__FormatterName</c> simple, json or systemd, with their options), the same
/// <c>Logging:Console</c> settings (the alias below: levels, <c>LogToStandardErrorThreshold</c>), the same scopes. Lines
/// are formatted on the logging thread, as Microsoft's logger does, and only the write is deferred.
/// </summary>
[ProviderAlias("Console")]
internal sealed class BatchedConsoleLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    /// <summary>How long a flush on a crash or at exit waits for a write in progress.</summary>
    private static readonly TimeSpan ExitFlushWait = TimeSpan.FromSeconds(2);

    [ThreadStatic]
    private static StringWriter? t_entry;

    private readonly Dictionary<string, ConsoleFormatter> _formatters;
    private readonly IDisposable? _optionsChanged;
    private readonly ConsoleBatchWriter _writer;
    private volatile ConsoleFormatter _formatter;
    private volatile ConsoleLoggerOptions _options;
    private IExternalScopeProvider? _scopes;

    public BatchedConsoleLoggerProvider(IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters)
        : this(options, formatters, new ConsoleBatchWriter(Console.OpenStandardOutput(), Console.OpenStandardError(),
            ConsoleBatchWriter.DefaultFlushDelay))
    {
    }

    internal BatchedConsoleLoggerProvider(IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters,
        ConsoleBatchWriter writer)
    {
        _formatters = formatters.DistinctBy(formatter => formatter.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(formatter => formatter.Name, StringComparer.OrdinalIgnoreCase);
        _writer = writer;
        _options = options.CurrentValue;
        _formatter = FormatterFor(_options);
        _optionsChanged = options.OnChange(changed =>
        {
            _options = changed;
            _formatter = FormatterFor(changed);
        });
        // A crash that skips the host's disposal still writes what was logged before it.
        AppDomain.CurrentDomain.UnhandledException += FlushOnCrash;
        AppDomain.CurrentDomain.ProcessExit += FlushOnExit;
    }

    public ILogger CreateLogger(string categoryName) => new BatchedConsoleLogger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
        AppDomain.CurrentDomain.UnhandledException -= FlushOnCrash;
        AppDomain.CurrentDomain.ProcessExit -= FlushOnExit;
        _optionsChanged?.Dispose();
        _writer.Dispose();
    }

    private void Write<TState>(in LogEntry<TState> entry)
    {
        var text = t_entry ??= new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        _formatter.Write(entry, _scopes, text);
        var formatted = text.GetStringBuilder();
        if (formatted.Length == 0)
        {
            return;
        }

        _writer.Append(formatted, toError: entry.LogLevel >= _options.LogToStandardErrorThreshold, urgent: entry.LogLevel >= LogLevel.Warning);
        formatted.Clear();
        // As Microsoft's logger does: one huge entry must not keep its buffer on this thread for good.
        if (formatted.Capacity > 1024)
        {
            formatted.Capacity = 1024;
        }
    }

    // An unknown name falls back to the simple format, as Microsoft's logger does.
    private ConsoleFormatter FormatterFor(ConsoleLoggerOptions options) =>
        _formatters.GetValueOrDefault(options.FormatterName ?? ConsoleFormatterNames.Simple)
        ?? _formatters.GetValueOrDefault(ConsoleFormatterNames.Simple)
        ?? _formatters.Values.First();

    private void FlushOnCrash(object? sender, UnhandledExceptionEventArgs e) => _writer.Flush(ExitFlushWait);

    private void FlushOnExit(object? sender, EventArgs e) => _writer.Flush(ExitFlushWait);

    private sealed class BatchedConsoleLogger(string category, BatchedConsoleLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                // Every formatter takes the message text from here: escaping it once covers simple, systemd and json.
                provider.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception,
                    (value, error) => LogText.Escape(formatter(value, error))));
            }
        }
    }
}
