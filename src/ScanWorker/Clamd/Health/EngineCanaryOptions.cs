using System.ComponentModel.DataAnnotations;

namespace ScanWorker.Clamd;

/// <summary>
/// The engine canary (section <c>Clamd:Canary</c>): samples clamd must detect, and optionally ones it must call clean,
/// scanned at start, after every change of the signature version and every <see cref="Interval"/>. While any sample
/// gets the wrong answer, no clean verdict leaves the worker.
/// </summary>
public sealed class EngineCanaryOptions
{
    public const string SectionName = "Clamd:Canary";

    /// <summary>Off only where clean answers may be trusted without proof that clamd detects anything (a warning says so at start).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Scan the EICAR test file (built in memory); every official database detects it.</summary>
    public bool Eicar { get; set; } = true;

    /// <summary>Absolute path of a directory whose files clamd must each detect (e.g. a sample your own signatures should catch).</summary>
    public string? MustDetectDirectory { get; set; }

    /// <summary>Absolute path of a directory whose files clamd must each call clean (catches a database that flags everything).</summary>
    public string? MustBeCleanDirectory { get; set; }

    /// <summary>How often the canary runs even when the signature version did not change.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest a canary run may take, all samples together.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
