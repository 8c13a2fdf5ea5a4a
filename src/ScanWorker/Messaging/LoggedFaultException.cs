namespace ScanWorker.Messaging;

/// <summary>
/// A fault its consumer expects and has already logged in one line; the message goes to the error queue (or is
/// retried) without a second line from <see cref="UnreadableScanRequestObserver"/>.
/// </summary>
public abstract class LoggedFaultException(string message, Exception? inner = null) : Exception(message, inner);
