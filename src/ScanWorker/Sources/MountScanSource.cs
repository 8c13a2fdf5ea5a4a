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
            ?? throw new ScanSourceException(ScanErrorReason.InvalidRequest, "this worker has no mount configured (set Mount__Root)");
        return Task.FromResult(LocalFile.Open(resolver.Resolve(target.Path), target.Path!, maxBytes));
    }
}
