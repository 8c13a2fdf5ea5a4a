namespace ScanWorker.Clamd;

/// <summary>The one rule for "clamd failed" (as opposed to the caller giving up), for every caller of the client.</summary>
public static class ClamdFailure
{
    /// <summary>
    /// True for any <see cref="ClamdException"/> (unreachable, protocol, our own timeouts), and for a cancellation
    /// that did not come from <paramref name="callerToken"/> (a deadline the caller linked in, e.g. a probe's).
    /// </summary>
    public static bool Is(Exception exception, CancellationToken callerToken) =>
        exception is ClamdException || (exception is OperationCanceledException && !callerToken.IsCancellationRequested);
}
