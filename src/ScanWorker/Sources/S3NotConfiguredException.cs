namespace ScanWorker.Sources;

/// <summary>The worker has no S3 settings it can build a client from; the message names the settings to set.</summary>
public sealed class S3NotConfiguredException(string message, Exception? inner = null) : InvalidOperationException(message, inner);
