using Microsoft.Extensions.Options;
using ScanWorker.Contracts;

namespace ScanWorker.Sources;

/// <summary>Files on the shared mount, read forward only.</summary>
public sealed class MountScanSource(IOptions<MountOptions> options) : IScanSource
{
    private readonly Lazy<MountPathResolver?> _resolver = new(() =>
        options.Value.Root is { Length: > 0 } root ? new MountPathResolver(root) : null);

    public string Name => "mount";

    public Task<SourceContent> OpenAsync(ScanTarget target, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var resolver = _resolver.Value
            ?? throw new ScanSourceException(ScanErrorReason.InvalidRequest, "this worker has no mount configured (Mount:Root)");
        var path = resolver.Resolve(target.Path);
        var length = new FileInfo(path).Length;
        if (length > maxBytes)
        {
            throw new ScanSourceException(ScanErrorReason.TooLarge, $"'{target.Path}' is {length} bytes; the limit is {maxBytes}");
        }

        return Task.FromResult(new SourceContent(Open(path, target.Path!), length));
    }

    /// <summary>
    /// Opens a resolved file for one forward pass: asynchronous, sequential, unbuffered (the clamd
    /// client's chunk buffer is the only buffer), not blocking writers.
    /// </summary>
    public static FileStream OpenForScan(string realPath) => new(realPath, new FileStreamOptions
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        Share = FileShare.ReadWrite | FileShare.Delete,
        Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        BufferSize = 0,
    });

    private static FileStream Open(string path, string requested)
    {
        try
        {
            return OpenForScan(path);
        }
        catch (FileNotFoundException exception)
        {
            throw new ScanSourceException(ScanErrorReason.NotFound, $"'{requested}' does not exist on the mount", inner: exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new ScanSourceException(ScanErrorReason.AccessDenied, $"'{requested}' is not readable", inner: exception);
        }
        catch (IOException exception)
        {
            throw new ScanSourceException(ScanErrorReason.SourceUnavailable, $"'{requested}' cannot be opened: {exception.Message}",
                transient: true, inner: exception);
        }
    }
}
