using ScanWorker.Sources;

namespace ScanWorker.Scanning;

/// <summary>The source that serves each kind of target; each builds what it needs only when first used.</summary>
public sealed class ScanSources(S3ScanSource s3, MountScanSource mount)
{
    public IScanSource For(ScanTargetKind kind) => kind == ScanTargetKind.S3 ? s3 : mount;
}
