using ScanWorker.Scanning;

namespace ScanWorker.Messaging;

/// <summary>
/// Steps around the publish of a queued scan. Bucket scans use them to re-check the object before the
/// verdict is published and to write the verdict back after it.
/// </summary>
/// <param name="Review">
/// Runs before publishing and may replace the outcome (e.g. with <c>Changed</c>); null publishes nothing.
/// </param>
/// <param name="AfterPublish">Runs after the result is published; an exception sends the message to the error queue.</param>
public sealed record ScanFollowUp(
    Func<ScanOutcome, CancellationToken, Task<ScanOutcome?>> Review,
    Func<ScanOutcome, CancellationToken, Task> AfterPublish);
