using ScanWorker.Contracts;

namespace ScanWorker.Sources;

/// <summary>Where the bytes of a <see cref="ScanTarget"/> come from.</summary>
public interface IScanSource
{
    /// <summary>The source label used in logs and metrics: <c>s3</c> or <c>mount</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Opens the object for forward-only reading. An object whose known length exceeds
    /// <paramref name="maxBytes"/> fails with <see cref="ScanErrorReason.TooLarge"/> before any content is read.
    /// Failures are <see cref="ScanSourceException"/>.
    /// </summary>
    Task<SourceContent> OpenAsync(ScanTarget target, long maxBytes, CancellationToken cancellationToken);
}
