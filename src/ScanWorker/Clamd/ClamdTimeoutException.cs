namespace ScanWorker.Clamd;

/// <summary>
/// One of our own timeouts elapsed (connect, idle, whole operation). Distinct from cancellation by the
/// caller, which surfaces as <see cref="OperationCanceledException"/> carrying the caller's token.
/// </summary>
public sealed class ClamdTimeoutException(string message, ClamdAddress address, ClamdPhase phase, long bytesSent)
    : TimeoutException(message)
{
    public ClamdAddress Address { get; } = address;

    public ClamdPhase Phase { get; } = phase;

    public long BytesSent { get; } = bytesSent;
}
