namespace ScanWorker.Clamd;

/// <summary>clamd answered something that breaks the protocol: a cut-off reply, an answer before the stream ended.</summary>
public sealed class ClamdProtocolException(string message, ClamdAddress address, ClamdPhase phase, long bytesSent, Exception? inner)
    : ClamdException(message, address, phase, bytesSent, inner);
