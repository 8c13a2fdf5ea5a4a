namespace ScanWorker.Buckets;

/// <summary>What one notification message held: every record (not only the first), or an S3 test event.</summary>
public sealed record BucketEventBatch(IReadOnlyList<BucketObjectEvent> Records, bool IsTestEvent)
{
    public static BucketEventBatch TestEvent { get; } = new([], IsTestEvent: true);
}
