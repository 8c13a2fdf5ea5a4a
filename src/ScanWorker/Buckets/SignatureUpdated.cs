namespace ScanWorker.Buckets;

/// <summary>A worker saw clamd's signature version go up (internal to the workers, on BucketEvents:SignatureUpdatesQueue).</summary>
public sealed record SignatureUpdated
{
    public required int Version { get; init; }

    public required int Previous { get; init; }
}
