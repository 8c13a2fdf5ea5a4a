namespace ScanWorker.Sources;

/// <summary>The Linux errno values the file code tells apart (the same on x86_64 and arm64).</summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EACCES = 13;
    public const int EXDEV = 18;
    public const int ENOTDIR = 20;
    public const int ENOSYS = 38;
    public const int ELOOP = 40;
}
