using System.ComponentModel.DataAnnotations;

namespace ScanWorker.Scanning;

/// <summary>Limits of what the worker scans. Section <c>Scanning</c>.</summary>
public sealed class ScanningOptions
{
    public const string SectionName = "Scanning";

    /// <summary>
    /// Largest object, in bytes, the worker streams to clamd. An object known to be larger is
    /// <c>TooLarge</c> before any byte is read. Keep it at clamd's StreamMaxLength (default 100M).
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxObjectBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Largest total size (keys plus values, UTF-8) of a request's metadata.</summary>
    [Range(0, 1024 * 1024)]
    public int MaxMetadataBytes { get; set; } = 16 * 1024;
}
