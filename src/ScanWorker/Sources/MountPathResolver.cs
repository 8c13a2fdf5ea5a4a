using ScanWorker.Contracts;

namespace ScanWorker.Sources;

/// <summary>
/// Turns a path relative to a root into the real path of a regular file inside that root, or explains
/// why not. Absolute paths, <c>..</c> segments, control characters, symlinks that lead outside the
/// root, directories and devices are refused as invalid requests; a missing file is not found.
/// </summary>
public sealed class MountPathResolver
{
    private readonly string _root;

    public MountPathResolver(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = NativeFileSystem.RealPath(root, out var errno)
            ?? throw new DirectoryNotFoundException($"the mount root '{root}' cannot be resolved (errno {errno})");
    }

    public string Root => _root;

    /// <summary>The checked file (its real path and identity), or a <see cref="ScanSourceException"/> saying why it is refused.</summary>
    public CheckedFile Resolve(string? relativePath)
    {
        var problem = SyntaxProblem(relativePath);
        if (problem is not null)
        {
            throw new ScanSourceException(ScanErrorReason.InvalidRequest, problem);
        }

        var real = NativeFileSystem.RealPath(Path.Join(_root, relativePath), out var errno);
        if (real is null && (ClosestRealPath.Of(Path.Join(_root, relativePath)) is not { } closest || !IsInsideRoot(closest + "/")))
        {
            // Missing or not, it would lie outside the root: the same answer either way, so nothing outside is disclosed.
            throw new ScanSourceException(ScanErrorReason.InvalidRequest, $"'{relativePath}' resolves outside the mount root");
        }

        if (real is null)
        {
            throw errno switch
            {
                Errno.ENOENT or Errno.ENOTDIR => new ScanSourceException(ScanErrorReason.NotFound, $"'{relativePath}' does not exist on the mount"),
                Errno.EACCES => new ScanSourceException(ScanErrorReason.AccessDenied, $"'{relativePath}' is not readable"),
                _ => new ScanSourceException(ScanErrorReason.InvalidRequest, $"'{relativePath}' cannot be resolved (errno {errno})"),
            };
        }

        if (!IsInsideRoot(real))
        {
            throw new ScanSourceException(ScanErrorReason.InvalidRequest, $"'{relativePath}' resolves outside the mount root");
        }

        var status = NativeFileSystem.Stat(real);
        return status.Kind switch
        {
            NativeFileSystem.FileKind.Regular => new CheckedFile(_root, real, status.Identity),
            NativeFileSystem.FileKind.Directory => throw new ScanSourceException(ScanErrorReason.InvalidRequest, $"'{relativePath}' is a directory"),
            NativeFileSystem.FileKind.Missing => throw new ScanSourceException(ScanErrorReason.NotFound, $"'{relativePath}' does not exist on the mount"),
            _ => throw new ScanSourceException(ScanErrorReason.InvalidRequest, $"'{relativePath}' is not a regular file"),
        };
    }

    public bool IsInsideRoot(string realPath) =>
        realPath.StartsWith(_root.EndsWith('/') ? _root : _root + "/", StringComparison.Ordinal);

    /// <summary>What is wrong with the path as text, before touching the filesystem; null when nothing.</summary>
    public static string? SyntaxProblem(string? relativePath)
    {
        if (string.IsNullOrEmpty(relativePath))
        {
            return "the path is empty";
        }

        if (relativePath.Any(char.IsControl))
        {
            return "the path contains control characters";
        }

        if (Path.IsPathRooted(relativePath))
        {
            return "the path must be relative to the mount root";
        }

        return relativePath.Split('/').Any(segment => segment == "..")
            ? "the path must not contain '..'"
            : null;
    }
}
