namespace ScanWorker.Http;

/// <summary>
/// clamav-rest's response status for several results (its "most severe" rule, as it really behaves):
/// the first 406 wins; otherwise the last non-200 code; 200 when there is none. A 503 (clamd
/// unreachable) outranks everything but a detection, since nothing after it was scanned.
/// </summary>
public static class StatusAggregation
{
    public static int Aggregate(IEnumerable<RestElement> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var status = 200;
        foreach (var result in results)
        {
            if (result.HttpStatus == 406)
            {
                return 406;
            }

            if (result.HttpStatus != 200 && status != 503)
            {
                status = result.HttpStatus;
            }
        }

        return status;
    }
}
