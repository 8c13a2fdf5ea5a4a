namespace ScanWorker.Sources;

/// <summary>
/// Where a path that does not resolve would lie: the real path of its deepest part that exists, following a dangling
/// link to where it points. A missing path is "not found" only when that place is inside the root; otherwise a link
/// out of the root would tell, by "not found" against "forbidden", whether a file exists outside.
/// </summary>
public static class ClosestRealPath
{
    private const int MaxLinks = 40; // as the kernel's ELOOP limit

    /// <summary>The real path of the deepest existing part of <paramref name="path"/> (absolute), or null when none can be found.</summary>
    public static string? Of(string path) => Of(path, 0);

    private static string? Of(string path, int links)
    {
        if (links > MaxLinks || !Path.IsPathRooted(path))
        {
            return null;
        }

        var probe = path.TrimEnd('/');
        var rest = string.Empty;
        while (probe.Length > 0)
        {
            if (NativeFileSystem.RealPath(probe, out _) is { } real)
            {
                return real;
            }

            // A dangling link: what matters is where it points, wherever that is.
            if (new FileInfo(probe).LinkTarget is { } target)
            {
                var pointed = Path.IsPathRooted(target) ? target : Path.Join(Path.GetDirectoryName(probe), target);
                return Of(Path.Join(pointed, rest), links + 1);
            }

            rest = Path.Join(Path.GetFileName(probe), rest);
            probe = Path.GetDirectoryName(probe) ?? string.Empty;
        }

        return NativeFileSystem.RealPath("/", out _);
    }
}
