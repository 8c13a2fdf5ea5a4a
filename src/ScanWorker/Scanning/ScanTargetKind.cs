namespace ScanWorker.Scanning;

public enum ScanTargetKind
{
    S3,
    Mount,
}
