using Microsoft.Extensions.Options;
using ScanWorker.Sources;

namespace ScanWorker.Http;

/// <summary>
/// The directories /scanFile and /scanPath may read: Http:ScanRoots, or Mount:Root when those are unset.
/// A path counts only when its real path (every symlink and <c>..</c> resolved) lies inside one of them.
/// </summary>
public sealed class ScanRoots(IOptions<HttpOptions> http, IOptions<MountOptions> mount)
{
    private readonly Lazy<IReadOnlyList<string>> _roots = new(() =>
        (http.Value.ScanRoots.Count > 0 ? http.Value.ScanRoots : mount.Value.Root is { Length: > 0 } root ? [root] : [])
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
            // Say "not found" only below a root; elsewhere even existence is not disclosed.
            return (RootOf(Path.GetFullPath(path)) is null ? PathKind.Forbidden : PathKind.NotFound, null, null);
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
