using System.Runtime.InteropServices;

namespace ScanWorker.Sources;

/// <summary>
/// The two POSIX calls .NET does not offer: <c>realpath</c> (resolve every symlink and <c>..</c> of a
/// path, as the kernel would) and <c>statx</c> (the file type: .NET reports FIFOs and devices as
/// ordinary files, and opening a FIFO would block). statx is used rather than stat because its
/// struct layout is the same on every Linux architecture.
/// </summary>
internal static partial class NativeFileSystem
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int StatxModeOffset = 28;
    private const ushort FileTypeMask = 0xF000;
    private const ushort RegularFile = 0x8000;
    private const ushort Directory = 0x4000;

    public enum FileKind
    {
        Missing,
        Regular,
        Directory,
        Other,
    }

    /// <summary>The canonical path, or null with the errno when it cannot be resolved.</summary>
    public static string? RealPath(string path, out int errno)
    {
        var resolved = realpath(path, IntPtr.Zero);
        errno = resolved == IntPtr.Zero ? Marshal.GetLastPInvokeError() : 0;
        if (resolved == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            free(resolved);
        }
    }

    /// <summary>What kind of file <paramref name="path"/> is, following symlinks.</summary>
    public static unsafe FileKind Kind(string path)
    {
        var buffer = stackalloc byte[256];
        if (statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
        {
            return FileKind.Missing;
        }

        var mode = (ushort)(*(ushort*)(buffer + StatxModeOffset) & FileTypeMask);
        return mode switch
        {
            RegularFile => FileKind.Regular,
            Directory => FileKind.Directory,
            _ => FileKind.Other,
        };
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr realpath(string path, IntPtr resolved);

    [LibraryImport("libc")]
    private static partial void free(IntPtr pointer);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
