using System.Text;
using ScanWorker.Contracts;
using ScanWorker.Scanning;

namespace ScanWorker.Messaging;

/// <summary>What makes a <see cref="ScanRequested"/> invalid before any source is touched.</summary>
public static class ScanRequestRules
{
    public static string? Problem(ScanRequested request, int maxMetadataBytes)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ScanId == Guid.Empty)
        {
            return "scanId is missing";
        }

        if (MetadataBytes(request.Metadata) > maxMetadataBytes)
        {
            return $"metadata is larger than {maxMetadataBytes} bytes";
        }

        return ScanTargetRules.Classify(request.Target, out var problem) is null ? problem : null;
    }

    public static long MetadataBytes(IReadOnlyDictionary<string, string>? metadata) =>
        metadata?.Sum(pair => (long)Encoding.UTF8.GetByteCount(pair.Key) + Encoding.UTF8.GetByteCount(pair.Value ?? string.Empty)) ?? 0;
}
