using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using ScanWorker.Diagnostics;

namespace ScanWorker.Tests.Diagnostics;

/// <summary>
/// The console logger with batched writes (<see cref="BatchedConsoleLoggerProvider"/>): nothing lost, nothing reordered,
/// warnings not held back, Microsoft's formatters and settings still in force, and the worker wired to it.
/// </summary>
public sealed partial class BatchedConsoleLoggerTests
{
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    [Fact(Timeout = 30_000)]
    public async Task Every_line_from_eight_threads_arrives_once_and_in_each_threads_order()
    {
        var output = new RecordingStream();
        using (var logging = Logging(output, new RecordingStream(), TimeSpan.FromMilliseconds(5)))
        {
            var logger = logging.Factory.CreateLogger("ScanWorker.Test");
            await Task.WhenAll(Enumerable.Range(0, 8).Select(thread => Task.Run(() =>
            {
                for (var line = 0; line < 500; line++)
                {
                    ThreadLine(logger, thread, line);
                }
            }, TestContext.Current.CancellationToken)));
        }

        var lines = output.Text.Split('\n').Where(line => line.Contains("thread ", StringComparison.Ordinal)).ToList();
        Assert.Equal(4000, lines.Count);
        for (var thread = 0; thread < 8; thread++)
        {
            var own = lines.Where(line => line.Contains($"thread {thread} line ", StringComparison.Ordinal)).ToList();
            Assert.Equal(Enumerable.Range(0, 500).Select(line => $"thread {thread} line {line}"), own.Select(Message));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task An_information_line_waits_for_its_batch_and_a_warning_writes_it_at_once()
    {
        var output = new RecordingStream();
        using var logging = Logging(output, new RecordingStream(), Never);
        var logger = logging.Factory.CreateLogger("ScanWorker.Test");

        Information(logger, "the scan's line");
        Assert.Equal(string.Empty, output.Text);

        Warning(logger, "clamd is down");
        await output.WaitForAsync(text => text.Contains("clamd is down", StringComparison.Ordinal), WaitLimit);
        Assert.True(output.Text.IndexOf("the scan's line", StringComparison.Ordinal) < output.Text.IndexOf("clamd is down", StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task Information_alone_is_written_after_the_flush_delay_without_anything_else()
    {
        var output = new RecordingStream();
        using var logging = Logging(output, new RecordingStream(), TimeSpan.FromMilliseconds(20));

        Information(logging.Factory.CreateLogger("ScanWorker.Test"), "alone");

        await output.WaitForAsync(text => text.Contains("alone", StringComparison.Ordinal), WaitLimit);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_full_batch_is_written_without_waiting_for_the_delay()
    {
        var output = new RecordingStream();
        using var logging = Logging(output, new RecordingStream(), Never);
        var logger = logging.Factory.CreateLogger("ScanWorker.Test");
        var line = new string('x', 1000);

        for (var i = 0; i * line.Length <= ConsoleBatchWriter.FullBatchChars; i++)
        {
            Information(logger, line);
        }

        await output.WaitForAsync(text => text.Length >= ConsoleBatchWriter.FullBatchChars, WaitLimit);
    }

    [Fact(Timeout = 30_000)]
    public void The_standard_error_threshold_and_the_json_format_are_microsofts_settings()
    {
        var output = new RecordingStream();
        var error = new RecordingStream();
        using (var logging = Logging(output, error, Never, options =>
        {
            options.FormatterName = ConsoleFormatterNames.Json;
            options.LogToStandardErrorThreshold = LogLevel.Warning;
        }))
        {
            var logger = logging.Factory.CreateLogger("ScanWorker.Test");
            Scanned(logger, "a.txt");
            Error(logger, "clamd refused");
        }

        using var information = JsonDocument.Parse(output.Text.Trim());
        Assert.Equal(4001, information.RootElement.GetProperty("EventId").GetInt32());
        Assert.Equal("a.txt", information.RootElement.GetProperty("State").GetProperty("Key").GetString());
        using var failure = JsonDocument.Parse(error.Text.Trim());
        Assert.Equal("clamd refused", failure.RootElement.GetProperty("Message").GetString());
    }

    [Fact(Timeout = 30_000)]
    public void A_reader_that_went_away_costs_the_lines_not_the_worker()
    {
        using var logging = Logging(new BrokenStream(), new BrokenStream(), Never);
        var logger = logging.Factory.CreateLogger("ScanWorker.Test");

        Error(logger, "written to a closed pipe");
        Information(logger, "and another");
        logging.Writer.Flush(TimeSpan.FromSeconds(5));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_stdout_nobody_reads_costs_dropped_lines_counted_not_memory_or_a_blocked_scan()
    {
        using var blocked = new BlockedStream();
        var logging = Logging(blocked, new RecordingStream(), TimeSpan.FromMilliseconds(1));
        var logger = logging.Factory.CreateLogger("ScanWorker.Test");
        var line = new string('x', 1000);

        // More than the writer may hold while its stream is blocked: every call returns, the excess is dropped. Twice the
        // cap and more: the writer thread may have taken up to a cap's worth into the write that blocked before the rest
        // waits (a thread slow to wake under load once took so much that nothing was dropped).
        await Task.Run(() =>
        {
            for (var i = 0; i * line.Length < (2 * ConsoleBatchWriter.MaxWaitingChars) + (1024 * 1024); i++)
            {
                Information(logger, line);
            }
        }, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        blocked.Open();
        logging.Dispose();
        Assert.Matches(@"ScanWorker dropped [1-9][0-9]* log entries", blocked.Recorded.Text);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("simple")]
    [InlineData("systemd")]
    [InlineData("json")]
    public void A_key_with_a_line_break_or_an_escape_stays_inside_its_own_entry(string format)
    {
        var output = new RecordingStream();
        using (var logging = Logging(output, new RecordingStream(), Never, options => options.FormatterName = format))
        {
            Scanned(logging.Factory.CreateLogger("ScanWorker.Test"), "ok\r\n2026-12-08T00:00:00Z info: ScanWorker[1001] forged\u001b[2J.txt");
        }

        var lines = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.DoesNotContain('\u001b', output.Text);
        Assert.DoesNotContain('\r', output.Text);
    }

    [Fact(Timeout = 30_000)]
    public void Levels_set_for_the_console_in_configuration_apply_to_it()
    {
        var output = new RecordingStream();
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Console:LogLevel:Default"] = "Warning", // Logging__Console__LogLevel__Default, as an operator sets it
        }).Build();
        using (var logging = Logging(output, new RecordingStream(), Never, settings: settings))
        {
            var logger = logging.Factory.CreateLogger("ScanWorker.Test");
            Information(logger, "filtered out");
            Warning(logger, "kept");
        }

        Assert.Contains("kept", output.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("filtered out", output.Text, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public void The_worker_logs_through_the_batched_provider_and_not_through_microsofts()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddOperatorLogging();

        var providers = builder.Services.Where(service => service.ServiceType == typeof(ILoggerProvider)).Select(service => service.ImplementationType).ToList();
        Assert.Contains(typeof(BatchedConsoleLoggerProvider), providers);
        Assert.DoesNotContain(typeof(ConsoleLoggerProvider), providers);
    }

    // "info: ScanWorker.Test[0] thread 3 line 17" (the simple format on one line): the message.
    private static string Message(string line) => line[line.IndexOf("thread ", StringComparison.Ordinal)..].Trim();

    [LoggerMessage(1, LogLevel.Information, "thread {Thread} line {Line}")]
    private static partial void ThreadLine(ILogger logger, int thread, int line);

    [LoggerMessage(2, LogLevel.Information, "{Text}")]
    private static partial void Information(ILogger logger, string text);

    [LoggerMessage(3, LogLevel.Warning, "{Text}")]
    private static partial void Warning(ILogger logger, string text);

    [LoggerMessage(2005, LogLevel.Error, "{Text}")]
    private static partial void Error(ILogger logger, string text);

    [LoggerMessage(4001, LogLevel.Information, "scanned {Key}")]
    private static partial void Scanned(ILogger logger, string key);

    private static TestLogging Logging(Stream output, Stream error, TimeSpan flushDelay, Action<ConsoleLoggerOptions>? configure = null,
        IConfiguration? settings = null)
    {
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddConsole().AddSimpleConsole(options => options.SingleLine = true))
            .Configure<ConsoleLoggerOptions>(options => configure?.Invoke(options))
            .BuildServiceProvider();
        var writer = new ConsoleBatchWriter(output, error, flushDelay);
        var provider = new BatchedConsoleLoggerProvider(services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(),
            services.GetRequiredService<IEnumerable<ConsoleFormatter>>(), writer);
        var factory = LoggerFactory.Create(logging =>
        {
            logging.AddProvider(provider).SetMinimumLevel(LogLevel.Information);
            if (settings is not null)
            {
                logging.AddConfiguration(settings);
            }
        });
        return new TestLogging(services, factory, provider, writer);
    }

    private sealed record TestLogging(ServiceProvider Services, ILoggerFactory Factory, BatchedConsoleLoggerProvider Provider, ConsoleBatchWriter Writer)
        : IDisposable
    {
        public void Dispose()
        {
            Factory.Dispose();
            Provider.Dispose();
            Services.Dispose();
        }
    }

    /// <summary>What stdout is to the writer: a stream it only writes to.</summary>
    private abstract class WriteOnlyStream : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Flush()
        {
        }
    }

    /// <summary>A stream that keeps what is written and lets a test wait for it.</summary>
    private sealed class RecordingStream : WriteOnlyStream
    {
        private readonly Lock _gate = new();
        private readonly MemoryStream _bytes = new();
        private TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Text
        {
            get
            {
                lock (_gate)
                {
                    return Encoding.UTF8.GetString(_bytes.GetBuffer(), 0, (int)_bytes.Length);
                }
            }
        }

        public async Task WaitForAsync(Func<string, bool> condition, TimeSpan limit)
        {
            using var timeout = new CancellationTokenSource(limit);
            while (true)
            {
                Task written;
                lock (_gate)
                {
                    written = _written.Task;
                }

                if (condition(Text))
                {
                    return;
                }

                await written.WaitAsync(timeout.Token);
            }
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            TaskCompletionSource written;
            lock (_gate)
            {
                _bytes.Write(buffer, offset, count);
                written = _written;
                _written = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            written.SetResult();
        }
    }

    /// <summary>stdout whose reader stopped reading: writes block until <see cref="Open"/> (or 20 s, so nothing hangs).</summary>
    private sealed class BlockedStream : WriteOnlyStream
    {
        private readonly ManualResetEventSlim _open = new(false);

        public RecordingStream Recorded { get; } = new();

        public void Open() => _open.Set();

        public override void Write(byte[] buffer, int offset, int count)
        {
            _open.Wait(TimeSpan.FromSeconds(20));
            Recorded.Write(buffer, offset, count);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _open.Dispose();
                Recorded.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>stdout after its reader died: every write fails as a broken pipe does.</summary>
    private sealed class BrokenStream : WriteOnlyStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("Broken pipe");

        public override void Flush() => throw new IOException("Broken pipe");
    }
}
