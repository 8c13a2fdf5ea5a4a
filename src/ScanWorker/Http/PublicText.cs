using ScanWorker.Clamd;

namespace ScanWorker.Http;

/// <summary>
/// What an answer to a caller may say: the cause, without where clamd runs (an address inside the cluster is of no use
/// to a caller and of some use to an attacker). Logs and the management endpoints keep the address.
/// </summary>
public static class PublicText
{
    public static string WithoutClamdAddress(string text, ClamdAddress address)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(address);
        var where = address.ToString();
        return text
            .Replace($"clamd at {where}", "clamd", StringComparison.Ordinal)
            .Replace(where, "clamd", StringComparison.Ordinal);
    }
}
