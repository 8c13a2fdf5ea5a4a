namespace ScanWorker.Sources;

/// <summary>The shared filesystem mount that <c>target.path</c> is relative to. Section <c>Mount</c>.</summary>
public sealed class MountOptions
{
    public const string SectionName = "Mount";

    /// <summary>Absolute path of the mount root. Unset: requests for mount targets are invalid.</summary>
    public string? Root { get; set; }
}
