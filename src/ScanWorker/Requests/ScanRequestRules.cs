using System.Text;
using ScanWorker.Contracts;
using ScanWorker.Scanning;

namespace ScanWorker.Requests;

/// <summary>What makes a <see cref="ScanRequested"/> invalid before any source is touched.</summary>
public static class ScanRequestRules
{
    /// <summary>Validates <paramref name="request"/> once: its target kind, or the problem that refuses it.</summary>
    public static AdmittedScan Admit(ScanRequested request, int maxMetadataBytes)
    {
        ArgumentNullException.ThrowIfNull(request);
        var metadataFits = MetadataBytes(request.Metadata) <= maxMetadataBytes;
        var echo = metadataFits ? request : request with { Metadata = null };
        if (request.ScanId == Guid.Empty)
        {
            return new AdmittedScan(echo, null, "scanId is missing");
        }

        if (!metadataFits)
        {
            return new AdmittedScan(echo, null, $"metadata is larger than {maxMetadataBytes} bytes");
        }

        var kind = ScanTargetRules.Classify(request.Target, out var problem);
        return new AdmittedScan(echo, kind, problem);
    }

    public static long MetadataBytes(IReadOnlyDictionary<string, string>? metadata) =>
        metadata?.Sum(pair => (long)Encoding.UTF8.GetByteCount(pair.Key) + Encoding.UTF8.GetByteCount(pair.Value ?? string.Empty)) ?? 0;
}
