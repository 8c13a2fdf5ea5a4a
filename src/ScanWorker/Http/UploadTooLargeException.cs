namespace ScanWorker.Http;

/// <summary>An upload passed the facade's size limit; thrown from the stream, so the scan stops there.</summary>
public sealed class UploadTooLargeException(long limit) : IOException($"the upload is larger than {limit} bytes");
