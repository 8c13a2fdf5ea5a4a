namespace ScanWorker.Scanning;

public enum ScanVerdict
{
    Clean,
    Infected,
    Error,
}
