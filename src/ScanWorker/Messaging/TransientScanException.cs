namespace ScanWorker.Messaging;

/// <summary>A scan failed for a reason a retry may cure; the only exception the retry policy retries.</summary>
public sealed class TransientScanException(string message) : LoggedFaultException(message);
