namespace ScanWorker.Sources;

/// <summary>Which file a path led to when it was checked: its device and inode, compared again once it is open.</summary>
public readonly record struct FileIdentity(ulong Device, ulong Inode);

/// <summary>A path checked to be a regular file inside <paramref name="Root"/> (both real paths, no links left).</summary>
public sealed record CheckedFile(string Root, string RealPath, FileIdentity Identity);
