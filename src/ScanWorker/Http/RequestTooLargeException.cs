namespace ScanWorker.Http;

/// <summary>
/// The request body passed Http:MaxRequestBytes. Deliberately not an <see cref="IOException"/>: it must pass the
/// scan core untouched (it ends the request, not one part's scan).
/// </summary>
public sealed class RequestTooLargeException(long limit) : Exception($"the request is larger than {limit} bytes")
{
    public long Limit { get; } = limit;
}
