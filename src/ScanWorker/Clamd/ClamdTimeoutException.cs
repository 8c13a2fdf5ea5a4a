namespace ScanWorker.Clamd;

/// <summary>
/// One of our own timeouts elapsed (connect, idle, whole operation). Distinct from cancellation by the
/// caller, which surfaces as <see cref="OperationCanceledException"/> carrying the caller's token.
/// </summary>
public sealed class ClamdTimeoutException(string message, ClamdAddress address, ClamdPhase phase, long bytesSent)
    : ClamdException(message, address, phase, bytesSent, inner: null);
