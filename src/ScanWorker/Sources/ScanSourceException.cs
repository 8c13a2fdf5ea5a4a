using ScanWorker.Contracts;

namespace ScanWorker.Sources;

/// <summary>A source could not deliver the object; carries the result reason and whether a retry may help.</summary>
public sealed class ScanSourceException(ScanErrorReason reason, string message, bool transient = false, Exception? inner = null)
    : Exception(message, inner)
{
    public ScanErrorReason Reason { get; } = reason;

    public bool Transient { get; } = transient;
}
