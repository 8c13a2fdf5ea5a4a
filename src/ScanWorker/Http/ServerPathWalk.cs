namespace ScanWorker.Http;

/// <summary>
/// The walk behind /scanPath. Every entry below the requested directory answers with one element, so nothing is
/// silently skipped and nothing unscanned reads as clean: regular files are scanned whatever their name (dotfiles,
/// control characters, any Unicode); a directory that cannot be listed, a link that leads out of the scan roots, a
/// dangling link, a FIFO or device are error elements naming the entry; a link back into a directory already
/// walked is reported as a cycle, not walked. The walk is bounded in entries, depth and time: passing a bound ends
/// it with an error element, so the answer is never a partial 200.
/// </summary>
public sealed class ServerPathWalk(ScanRoots roots, RestScan scan, long fileLimit, HttpOptions options, TimeProvider time)
{
    private readonly List<RestElement> _results = [];
    private readonly HashSet<string> _walked = new(StringComparer.Ordinal);
    private readonly long _started = time.GetTimestamp();
    private int _entries;

    /// <summary>The elements, in walk order (entries of a directory in ordinal name order, depth first).</summary>
    public async Task<IReadOnlyList<RestElement>> WalkAsync(string realDirectory, string shownAs, CancellationToken cancellationToken)
    {
        _walked.Add(realDirectory);
        await WalkDirectoryAsync(realDirectory, shownAs, depth: 0, cancellationToken);
        return _results;
    }

    /// <returns>False once a bound was passed: the walk stops there.</returns>
    private async Task<bool> WalkDirectoryAsync(string realDirectory, string shownAs, int depth, CancellationToken cancellationToken)
    {
        if (depth > options.ScanPathMaxDepth)
        {
            return Bound($"'{shownAs}' is deeper than Http:ScanPathMaxDepth ({options.ScanPathMaxDepth}) below the requested directory");
        }

        string[] names;
        try
        {
            // Hidden entries are not skipped, unreadable ones are not ignored: both are answered below.
            names = new DirectoryInfo(realDirectory)
                .EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false })
                .Select(entry => entry.Name)
                .Take(options.ScanPathMaxEntries - _entries + 1)
                .Order(StringComparer.Ordinal)
                .ToArray();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _results.Add(new RestElement(RestElement.Error, $"the directory cannot be read: {exception.Message}", shownAs, 412));
            return true;
        }

        foreach (var name in names)
        {
            if (++_entries > options.ScanPathMaxEntries)
            {
                return Bound($"the walk has more than Http:ScanPathMaxEntries ({options.ScanPathMaxEntries}) entries");
            }

            if (time.GetElapsedTime(_started) > options.ScanPathTimeout)
            {
                return Bound($"the walk took longer than Http:ScanPathTimeout ({options.ScanPathTimeout})");
            }

            if (!await VisitAsync(Path.Join(realDirectory, name), Path.Join(shownAs, name), depth, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<bool> VisitAsync(string path, string shownAs, int depth, CancellationToken cancellationToken)
    {
        var isLink = IsLink(path);
        var (kind, real, file) = roots.Resolve(path, requested: false);
        switch (kind)
        {
            case ScanRoots.PathKind.File:
                _results.Add(await scan.FileAsync(file!, shownAs, fileLimit, cancellationToken));
                return true;
            case ScanRoots.PathKind.Directory when !_walked.Add(real!):
                _results.Add(new RestElement(RestElement.Error, "a link back into a directory already walked (a cycle); not walked again", shownAs, 400));
                return true;
            case ScanRoots.PathKind.Directory:
                return await WalkDirectoryAsync(real!, shownAs, depth + 1, cancellationToken);
            case ScanRoots.PathKind.Forbidden:
                _results.Add(new RestElement(RestElement.Error, "a link that resolves outside the scan roots; not followed", shownAs, 403));
                return true;
            case ScanRoots.PathKind.NotFound when isLink:
                _results.Add(new RestElement(RestElement.Error, "a link to nothing (dangling); not scanned", shownAs, 412));
                return true;
            case ScanRoots.PathKind.NotFound:
                _results.Add(new RestElement(RestElement.Error, "vanished while the directory was walked; not scanned", shownAs, 412));
                return true;
            default:
                _results.Add(new RestElement(RestElement.Error, "not a regular file (FIFO, socket or device); not scanned", shownAs, 400));
                return true;
        }
    }

    private static bool IsLink(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: false) is not null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Gone or unreadable since it was listed: the resolution below says which.
            return false;
        }
    }

    private bool Bound(string description)
    {
        _results.Add(new RestElement(RestElement.Error, $"{description}; not every file was scanned", null, 400));
        return false;
    }
}
