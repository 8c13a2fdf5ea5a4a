namespace ScanWorker.Clamd;

/// <summary>clamd could not be reached, or dropped the connection without answering. Transient.</summary>
public sealed class ClamdUnavailableException(string message, ClamdAddress address, ClamdPhase phase, long bytesSent, Exception? inner)
    : ClamdException(message, address, phase, bytesSent, inner);
