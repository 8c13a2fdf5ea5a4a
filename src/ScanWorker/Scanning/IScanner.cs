using ScanWorker.Contracts;

namespace ScanWorker.Scanning;

/// <summary>Opens a target's source, streams it through clamd and decides the verdict.</summary>
public interface IScanner
{
    /// <summary>
    /// Never throws for a bad target, a missing object or a clamd failure: those are outcomes.
    /// Only the caller's cancellation surfaces, as <see cref="OperationCanceledException"/>.
    /// </summary>
    Task<ScanOutcome> ScanAsync(ScanTarget target, CancellationToken cancellationToken);
}
