using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;

namespace ScanWorker.Clamd;

/// <summary>
/// The clocks and bookkeeping of one clamd connection. Three timers feed one token: the caller's
/// cancellation, a deadline for the whole operation, and a step timer that is re-armed whenever bytes
/// move (during connect it is the connect timeout). When something fails, <see cref="TryTranslate"/>
/// decides which exception the caller sees, so our timeouts never look like the caller's cancellation
/// and vice versa.
/// </summary>
internal sealed class ClamdOperation : IDisposable
{
    private readonly CancellationToken _callerToken;
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationTokenSource _stepTimer;
    private readonly CancellationTokenSource _linked;
    private readonly TimeSpan _deadlineAfter;
    private readonly TimeSpan _connectTimeout;
    private readonly TimeSpan _idleTimeout;

    public ClamdOperation(ClamdAddress address, ClamdTimeouts timeouts, TimeProvider time, CancellationToken callerToken)
    {
        Address = address;
        _callerToken = callerToken;
        _deadlineAfter = timeouts.Deadline;
        _connectTimeout = timeouts.Connect;
        _idleTimeout = timeouts.Idle;
        _deadline = new CancellationTokenSource(timeouts.Deadline, time);
        _stepTimer = new CancellationTokenSource(timeouts.Connect, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken, _deadline.Token, _stepTimer.Token);
    }

    public ClamdAddress Address { get; }

    public ClamdPhase Phase { get; private set; } = ClamdPhase.Connect;

    public long BytesSent { get; private set; }

    public CancellationToken Token => _linked.Token;

    /// <summary>Moves to <paramref name="phase"/>; leaving Connect swaps the connect timer for the idle timer.</summary>
    public void Enter(ClamdPhase phase)
    {
        if (Phase == ClamdPhase.Connect && phase != ClamdPhase.Connect)
        {
            _stepTimer.CancelAfter(_idleTimeout);
        }

        Phase = phase;
    }

    /// <summary>Bytes moved: re-arm the idle timer.</summary>
    public void Progress(long bytesSent)
    {
        BytesSent = bytesSent;
        _stepTimer.CancelAfter(_idleTimeout);
    }

    public void Progress() => _stepTimer.CancelAfter(_idleTimeout);

    /// <summary>
    /// The whole stream is with clamd, which now scans without sending anything: from here only the
    /// operation deadline applies.
    /// </summary>
    public void AwaitReplyWithoutIdleTimeout()
    {
        Phase = ClamdPhase.AwaitReply;
        _stepTimer.CancelAfter(Timeout.InfiniteTimeSpan);
    }

    public bool TryTranslate(Exception exception, [NotNullWhen(true)] out Exception? translated)
    {
        translated = exception switch
        {
            ClamdException => null,
            _ when _callerToken.IsCancellationRequested && exception is OperationCanceledException =>
                new OperationCanceledException("The clamd operation was canceled by the caller.", exception, _callerToken),
            _ when _deadline.IsCancellationRequested => TimedOut($"the operation deadline of {_deadlineAfter} elapsed"),
            _ when _stepTimer.IsCancellationRequested && Phase == ClamdPhase.Connect =>
                TimedOut($"the connect timeout of {_connectTimeout} elapsed"),
            _ when _stepTimer.IsCancellationRequested => TimedOut($"no bytes moved for {_idleTimeout} (idle timeout)"),
            // A socket error while reading the source belongs to the source (an S3 connection), not to clamd.
            SocketException or IOException { InnerException: SocketException } when Phase != ClamdPhase.ReadSource => Unavailable(exception),
            EndOfStreamException => Unavailable(exception),
            InvalidDataException => new ClamdProtocolException(Describe(exception.Message), Address, Phase, BytesSent, exception),
            _ => null,
        };
        return translated is not null;
    }

    public ClamdProtocolException ProtocolViolation(string message) => new(Describe(message), Address, Phase, BytesSent, null);

    public ClamdUnavailableException Unavailable(Exception cause) =>
        new(Describe(Phase == ClamdPhase.Connect ? $"cannot connect: {cause.Message}" : cause.Message), Address, Phase, BytesSent, cause);

    private ClamdTimeoutException TimedOut(string what) =>
        new(Describe($"timed out: {what}"), Address, Phase, BytesSent);

    private string Describe(string what) => $"clamd at {Address}: {what} (phase {Phase}, {BytesSent} bytes sent).";

    public void Dispose()
    {
        _linked.Dispose();
        _stepTimer.Dispose();
        _deadline.Dispose();
    }
}
