using System.Globalization;
using ScanWorker.Contracts;

namespace ScanWorker.Sources;

/// <summary>Opening a file that has been checked (mount targets, the REST facade's server files).</summary>
public static class LocalFile
{
    /// <summary>
    /// Opens <paramref name="file"/> for one forward pass so that what is read is what was checked: the open cannot
    /// leave the root or pass a link swapped in since the check (<see cref="NativeFileSystem.OpenBeneath"/>), does not
    /// block on a FIFO, and must find a regular file with the identity (device, inode) the check saw. The length comes
    /// from the opened handle, so a clean verdict needs exactly the bytes of the file that was opened; a file over
    /// <paramref name="maxBytes"/> is <c>TooLarge</c> before a byte is read. <paramref name="shownAs"/> names it in errors.
    /// </summary>
    public static SourceContent Open(CheckedFile file, string shownAs, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(file);
        var handle = NativeFileSystem.OpenBeneath(file.Root, Path.GetRelativePath(file.Root, file.RealPath), out var errno)
            ?? throw errno switch
            {
                Errno.ENOENT or Errno.ENOTDIR => new ScanSourceException(ScanErrorReason.NotFound, $"'{shownAs}' does not exist"),
                Errno.EACCES or Errno.EPERM => new ScanSourceException(ScanErrorReason.AccessDenied, $"'{shownAs}' is not readable"),
                Errno.ELOOP or Errno.EXDEV => new ScanSourceException(ScanErrorReason.InvalidRequest,
                    $"'{shownAs}' led through a link or out of its root when it was opened (it changed after it was checked)"),
                _ => new ScanSourceException(ScanErrorReason.SourceUnavailable,
                    $"'{shownAs}' cannot be opened (errno {errno.ToString(CultureInfo.InvariantCulture)})", transient: true),
            };
        try
        {
            var status = NativeFileSystem.Stat(handle);
            if (status.Kind != NativeFileSystem.FileKind.Regular)
            {
                throw new ScanSourceException(ScanErrorReason.InvalidRequest, $"'{shownAs}' is not a regular file (it changed after it was checked)");
            }

            if (status.Identity != file.Identity)
            {
                throw new ScanSourceException(ScanErrorReason.SourceUnavailable,
                    $"'{shownAs}' was replaced between the check and the open", transient: true);
            }

            if (status.Size > maxBytes)
            {
                throw new ScanSourceException(ScanErrorReason.TooLarge, $"'{shownAs}' is {status.Size} bytes; the limit is {maxBytes}");
            }

            // Unbuffered: the clamd client's chunk buffer is the only buffer.
            return new SourceContent(new FileStream(handle, FileAccess.Read, bufferSize: 0), status.Size);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
