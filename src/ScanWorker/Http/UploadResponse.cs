namespace ScanWorker.Http;

/// <summary>The elements of a multipart scan in request order, and the response status they add up to.</summary>
/// <param name="Elements">One per part (nameless parts included where the endpoint reports them).</param>
/// <param name="OverRequestLimit">The request passed Http:MaxRequestBytes: the last element says so, the status is 413.</param>
public sealed record UploadResponse(IReadOnlyList<RestElement> Elements, bool OverRequestLimit)
{
    public int Status => OverRequestLimit ? 413 : StatusAggregation.Aggregate(Elements);
}
