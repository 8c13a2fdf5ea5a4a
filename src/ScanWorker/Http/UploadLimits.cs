namespace ScanWorker.Http;

/// <summary>The REST facade's two size limits, as configured.</summary>
/// <param name="MaxFileBytes">Per file (clamav-rest's <c>MAX_FILE_SIZE</c>): Http:MaxFileSize, else Scanning:MaxObjectBytes.</param>
/// <param name="MaxRequestBytes">Per request, all parts and framing together: Http:MaxRequestBytes.</param>
/// <param name="MaxParts">Parts per multipart request: Http:MaxParts.</param>
public sealed record UploadLimits(long MaxFileBytes, long MaxRequestBytes, int MaxParts);
