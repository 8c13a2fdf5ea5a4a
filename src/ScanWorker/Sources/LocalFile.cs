using ScanWorker.Contracts;

namespace ScanWorker.Sources;

/// <summary>Opening a file that has already been resolved (mount targets, the REST facade's server files).</summary>
public static class LocalFile
{
    /// <summary>
    /// Opens <paramref name="realPath"/> for one forward pass: asynchronous, sequential, unbuffered (the clamd
    /// client's chunk buffer is the only buffer), not blocking writers. Its length is read from the opened
    /// handle, so a clean verdict needs exactly the bytes of the file that was opened; a file over
    /// <paramref name="maxBytes"/> is <c>TooLarge</c> before a byte is read. <paramref name="shownAs"/> names it in errors.
    /// </summary>
    public static SourceContent Open(string realPath, string shownAs, long maxBytes)
    {
        var file = OpenStream(realPath, shownAs);
        long length;
        try
        {
            length = file.Length;
        }
        catch
        {
            file.Dispose();
            throw;
        }

        if (length > maxBytes)
        {
            file.Dispose();
            throw new ScanSourceException(ScanErrorReason.TooLarge, $"'{shownAs}' is {length} bytes; the limit is {maxBytes}");
        }

        return new SourceContent(file, length);
    }

    private static FileStream OpenStream(string path, string shownAs)
    {
        try
        {
            return new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            });
        }
        catch (FileNotFoundException exception)
        {
            throw new ScanSourceException(ScanErrorReason.NotFound, $"'{shownAs}' does not exist", inner: exception);
        }
        catch (DirectoryNotFoundException exception)
        {
            throw new ScanSourceException(ScanErrorReason.NotFound, $"'{shownAs}' does not exist", inner: exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new ScanSourceException(ScanErrorReason.AccessDenied, $"'{shownAs}' is not readable", inner: exception);
        }
        catch (IOException exception)
        {
            throw new ScanSourceException(ScanErrorReason.SourceUnavailable, $"'{shownAs}' cannot be opened: {exception.Message}",
                transient: true, inner: exception);
        }
    }
}
