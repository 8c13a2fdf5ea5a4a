using System.Globalization;
using System.Text;

namespace ScanWorker.Diagnostics;

/// <summary>
/// Writes formatted log lines to stdout and stderr in batches, from a thread of its own. Microsoft's console logger wakes
/// its writer thread and makes a write call for every line: at one line per scan that was about a fifth of a small
/// scan's CPU in the worker (bench/RESULTS.md, "the line per scan"). Here the first line into an empty buffer wakes the
/// writer, which gathers for <see cref="FlushDelay"/> and writes everything in one call per stream: one wake-up per
/// batch instead of per line, and no wake-up while nothing is logged. A warning or worse, a full batch, and
/// <see cref="Dispose"/> write at once, so what an operator must see is never held back.
/// </summary>
internal sealed class ConsoleBatchWriter : IDisposable
{
    /// <summary>How long an Information line may wait for others to share its write.</summary>
    public static readonly TimeSpan DefaultFlushDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>Past this many characters waiting, the batch is written at once.</summary>
    internal const int FullBatchChars = 64 * 1024;

    /// <summary>
    /// Past this many characters waiting (stdout blocked: a reader that stopped reading), entries are dropped and counted
    /// instead of held: the worker's memory stays bounded and no scan waits on its log, unlike Microsoft's logger, which
    /// blocks the logging thread when its queue is full.
    /// </summary>
    internal const int MaxWaitingChars = 4 * 1024 * 1024;

    /// <summary>How long a flush on the way out (stop, crash, exit) waits for a write in progress.</summary>
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly Lock _writing = new();
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly AutoResetEvent _due = new(false);
    private readonly AutoResetEvent _urgent = new(false);
    private readonly Thread _thread;
    private StringBuilder _pendingOut = new();
    private StringBuilder _pendingError = new();
    private StringBuilder _spareOut = new();
    private StringBuilder _spareError = new();
    private long _dropped;
    private volatile bool _stopping;
    private int _disposed;

    public ConsoleBatchWriter(Stream standardOutput, Stream standardError, TimeSpan flushDelay)
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        _out = new StreamWriter(standardOutput, utf8, bufferSize: 16 * 1024) { AutoFlush = false };
        _error = new StreamWriter(standardError, utf8, bufferSize: 4 * 1024) { AutoFlush = false };
        FlushDelay = flushDelay;
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = "Console log batch writer" };
        _thread.Start();
    }

    public TimeSpan FlushDelay { get; }

    /// <summary>Queues one formatted entry (its text is copied); <paramref name="urgent"/> writes it without waiting.</summary>
    public void Append(StringBuilder entry, bool toError, bool urgent)
    {
        bool first;
        lock (_gate)
        {
            var waiting = _pendingOut.Length + _pendingError.Length;
            if (waiting + entry.Length > MaxWaitingChars)
            {
                _dropped++;
                return;
            }

            first = waiting == 0;
            (toError ? _pendingError : _pendingOut).Append(entry);
            urgent |= waiting + entry.Length >= FullBatchChars;
        }

        if (_stopping)
        {
            // Logged while the host shuts down, after the writer thread ended: written here and now.
            Flush(ExitWait);
        }
        else if (urgent || first)
        {
            Wake(urgent ? _urgent : _due);
        }
    }

    /// <summary>
    /// Writes whatever waits on the calling thread; gives up after <paramref name="wait"/> if a write in progress holds
    /// the streams (a blocked stdout must not hang a crash or a stop).
    /// </summary>
    public void Flush(TimeSpan wait)
    {
        if (!_writing.TryEnter(wait))
        {
            return;
        }

        try
        {
            StringBuilder output, error;
            long dropped;
            lock (_gate)
            {
                (output, _pendingOut, _spareOut) = (_pendingOut, _spareOut, _pendingOut);
                (error, _pendingError, _spareError) = (_pendingError, _spareError, _pendingError);
                (dropped, _dropped) = (_dropped, 0);
            }

            if (dropped > 0)
            {
                output.Append(CultureInfo.InvariantCulture,
                    $"ScanWorker dropped {dropped} log entries: more than {MaxWaitingChars / (1024 * 1024)} MiB of log waited for stdout to be read{Environment.NewLine}");
            }

            Write(_out, output);
            Write(_error, error);
        }
        finally
        {
            _writing.Exit();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping = true;
        _urgent.Set();
        var ended = _thread.Join(ExitWait);
        Flush(ExitWait);
        if (ended)
        {
            // Only once the thread is gone: one stuck writing to a pipe nobody reads must not fault on a disposed event.
            _due.Dispose();
            _urgent.Dispose();
        }
    }

    private void Wake(EventWaitHandle handle)
    {
        try
        {
            handle.Set();
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the check above and here: the writer thread is gone.
            Flush(ExitWait);
        }
    }

    private void WriteLoop()
    {
        WaitHandle[] wake = [_due, _urgent];
        while (!_stopping)
        {
            if (WaitHandle.WaitAny(wake) == 0)
            {
                // Gather: the lines logged meanwhile share this write, unless something urgent comes first.
                _urgent.WaitOne(FlushDelay);
            }

            Flush(Timeout.InfiniteTimeSpan);
        }
    }

    private static void Write(TextWriter writer, StringBuilder text)
    {
        if (text.Length == 0)
        {
            return;
        }

        try
        {
            writer.Write(text);
            writer.Flush();
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            // Nobody reads the stream any more (a closed pipe): as with Console, the lines are lost, the worker goes on.
        }
        finally
        {
            text.Clear();
            // A batch after a flood should not keep its memory for good.
            if (text.Capacity > FullBatchChars * 2)
            {
                text.Capacity = FullBatchChars;
            }
        }
    }
}
