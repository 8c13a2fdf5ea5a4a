using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ScanWorker.Sources;

/// <summary>
/// The POSIX calls .NET does not offer: <c>realpath</c> (resolve every symlink and <c>..</c> of a path, as the
/// kernel would), <c>statx</c> (the file type and identity: .NET reports FIFOs and devices as ordinary files, and
/// opening a FIFO would block; statx rather than stat because its layout is the same on every Linux architecture),
/// and <c>openat2</c> (open below a root without following any link, so the check and the open cannot be raced).
/// </summary>
internal static partial class NativeFileSystem
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxWanted = 0x1 | 0x100 | 0x200; // STATX_TYPE | STATX_INO | STATX_SIZE
    private const int StatxModeOffset = 28;
    private const int StatxInoOffset = 32;
    private const int StatxSizeOffset = 40;
    private const int StatxDevMajorOffset = 136;
    private const int StatxDevMinorOffset = 140;
    private const long SysOpenat2 = 437; // the same number on x86_64 and arm64
    private const ulong ResolveNoMagiclinks = 0x02;
    private const ulong ResolveNoSymlinks = 0x04;
    private const ulong ResolveBeneath = 0x08;
    private const int ORdonly = 0;
    private const int ONoctty = 0x100;
    private const int ONonblock = 0x800;
    private const int OCloexec = 0x80000;
    private const int OPath = 0x200000;
    private const ushort FileTypeMask = 0xF000;
    private const ushort RegularFile = 0x8000;
    private const ushort Directory = 0x4000;

    // O_NOFOLLOW is one of the few flags whose value differs between architectures.
    private static readonly int ONofollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

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
    public static FileKind Kind(string path) => Stat(path).Kind;

    /// <summary>Kind, identity and size of <paramref name="path"/>, following symlinks; <see cref="FileKind.Missing"/> when it cannot be read.</summary>
    public static unsafe FileStatus Stat(string path)
    {
        var buffer = stackalloc byte[256];
        return statx(AtFdCwd, path, 0, StatxWanted, buffer) == 0 ? Read(buffer) : FileStatus.Missing;
    }

    /// <summary>Kind, identity and size of the open file behind <paramref name="handle"/>.</summary>
    public static unsafe FileStatus Stat(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var buffer = stackalloc byte[256];
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return statx((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath, StatxWanted, buffer) == 0 ? Read(buffer) : FileStatus.Missing;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Opens <paramref name="relativePath"/> for reading below the directory <paramref name="root"/> so that the open
    /// itself can neither leave the root nor pass through any symbolic link (<c>openat2</c> with
    /// <c>RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS</c>; kernels before 5.6 fall back to <c>O_NOFOLLOW</c> on the last
    /// component), non-blocking, so a FIFO swapped in cannot hang the open. Null with the errno when it fails.
    /// </summary>
    public static SafeFileHandle? OpenBeneath(string root, string relativePath, out int errno)
    {
        var rootFd = open(root, OPath | OCloexec);
        if (rootFd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }

        try
        {
            var how = new OpenHow { Flags = ORdonly | ONonblock | OCloexec | ONoctty, Resolve = ResolveBeneath | ResolveNoSymlinks | ResolveNoMagiclinks };
            var fd = (int)syscall(SysOpenat2, rootFd, relativePath, ref how, (nuint)Marshal.SizeOf<OpenHow>());
            errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
            if (fd < 0 && errno == Errno.ENOSYS)
            {
                fd = open(Path.Join(root, relativePath), ORdonly | ONonblock | OCloexec | ONoctty | ONofollow);
                errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
            }

            return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
        }
        finally
        {
            _ = close(rootFd);
        }
    }

    private static unsafe FileStatus Read(byte* buffer)
    {
        var mode = (ushort)(*(ushort*)(buffer + StatxModeOffset) & FileTypeMask);
        var kind = mode switch
        {
            RegularFile => FileKind.Regular,
            Directory => FileKind.Directory,
            _ => FileKind.Other,
        };
        var device = ((ulong)*(uint*)(buffer + StatxDevMajorOffset) << 32) | *(uint*)(buffer + StatxDevMinorOffset);
        return new FileStatus(kind, new FileIdentity(device, *(ulong*)(buffer + StatxInoOffset)), *(long*)(buffer + StatxSizeOffset));
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr realpath(string path, IntPtr resolved);

    [LibraryImport("libc")]
    private static partial void free(IntPtr pointer);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long syscall(long number, int dirfd, string path, ref OpenHow how, nuint size);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    /// <summary>What statx said about a file.</summary>
    public readonly record struct FileStatus(FileKind Kind, FileIdentity Identity, long Size)
    {
        public static FileStatus Missing { get; } = new(FileKind.Missing, default, 0);
    }
}
