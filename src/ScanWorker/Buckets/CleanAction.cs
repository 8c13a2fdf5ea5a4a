namespace ScanWorker.Buckets;

/// <summary>What a clean verdict does to the object (BucketEvents:CleanAction).</summary>
public enum CleanAction
{
    /// <summary>It stays where it was uploaded, tagged when BucketEvents:TagVerdicts includes Clean.</summary>
    Leave,

    /// <summary>
    /// It is copied, pinned to the scanned version, to the clean place readers use (BucketEvents:CleanBucket and
    /// CleanPrefix), tagged there, and removed from where it was uploaded.
    /// </summary>
    Promote,
}
