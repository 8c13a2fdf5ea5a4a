namespace ScanWorker.Clamd;

/// <summary>A clamd operation failed; says where (endpoint, phase) and how far it got (bytes sent).</summary>
public abstract class ClamdException(string message, ClamdAddress address, ClamdPhase phase, long bytesSent, Exception? inner)
    : Exception(message, inner)
{
    public ClamdAddress Address { get; } = address;

    public ClamdPhase Phase { get; } = phase;

    public long BytesSent { get; } = bytesSent;
}
