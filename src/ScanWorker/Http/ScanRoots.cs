using Microsoft.Extensions.Options;
using ScanWorker.Sources;

namespace ScanWorker.Http;

/// <summary>
/// The directories /scanFile and /scanPath may read: Http:ScanRoots, named for them and nothing else (the queue's
/// Mount:Root is not a fallback: every file on it would be listed to whoever reaches the port). None: both refuse all.
/// A path counts only when its real path (every symlink and <c>..</c> resolved) lies inside one of them.
/// </summary>
public sealed class ScanRoots(IOptions<HttpOptions> http)
{
    private readonly Lazy<IReadOnlyList<string>> _roots = new(() =>
        http.Value.ScanRoots
            .Select(path => NativeFileSystem.RealPath(path, out _))
            .OfType<string>()
            .Select(path => path.EndsWith('/') ? path : path + "/")
            .ToList());

    public enum PathKind
    {
        File,
        Directory,
        NotFound,
        Forbidden,
        Invalid,
    }

    /// <summary>
    /// What <paramref name="path"/> is, its real path when it is inside a root, and for a regular file what was
    /// checked (root, real path, identity) so that it can be opened without a race. A requested path with control
    /// characters is invalid; an entry found by a walk (<paramref name="requested"/> false) may have any name.
    /// </summary>
    public (PathKind Kind, string? RealPath, CheckedFile? File) Resolve(string path, bool requested = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (requested && path.Any(char.IsControl))
        {
            return (PathKind.Invalid, null, null);
        }

        var real = NativeFileSystem.RealPath(path, out _);
        if (real is null)
        {
            // Say "not found" only where the path would lie below a root, links followed as far as they go (a dangling link
            // out of a root is forbidden whether its target exists or not); elsewhere even existence is not disclosed.
            var closest = Path.IsPathRooted(path) && !path.Split('/').Contains("..") ? ClosestRealPath.Of(path) : null;
            return (closest is not null && RootOf(closest) is not null ? PathKind.NotFound : PathKind.Forbidden, null, null);
        }

        if (RootOf(real) is not { } root)
        {
            return (PathKind.Forbidden, null, null);
        }

        var status = NativeFileSystem.Stat(real);
        return status.Kind switch
        {
            NativeFileSystem.FileKind.Regular => (PathKind.File, real, new CheckedFile(root.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/", real, status.Identity)),
            NativeFileSystem.FileKind.Directory => (PathKind.Directory, real, null),
            NativeFileSystem.FileKind.Missing => (PathKind.NotFound, null, null),
            _ => (PathKind.Invalid, null, null),
        };
    }

    private string? RootOf(string path) =>
        _roots.Value.FirstOrDefault(root => (path + "/").StartsWith(root, StringComparison.Ordinal));
}
