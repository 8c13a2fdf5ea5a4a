using ScanWorker.Contracts;
using ScanWorker.Scanning;

namespace ScanWorker.Buckets;

/// <summary>Which write-back follows from a verdict, the settings and where the object is; no S3 call is made here.</summary>
public static class WriteBackDecision
{
    /// <summary>Errors that leave no scanned object to write onto: it is gone, it changed, or it was never readable.</summary>
    private static readonly ScanErrorReason[] NoScannedObject =
        [ScanErrorReason.NotFound, ScanErrorReason.Changed, ScanErrorReason.InvalidRequest, ScanErrorReason.AccessDenied];

    /// <summary>Whether an outcome with this reason still refers to the object that was scanned.</summary>
    public static bool ScannedObjectRemains(ScanErrorReason? reason) => reason is not { } known || !NoScannedObject.Contains(known);

    public static WriteBackAction For(ScanVerdict verdict, ScanErrorReason? reason, string bucket, string key, BucketEventsOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!ScannedObjectRemains(reason))
        {
            return new WriteBackAction.LeaveAlone($"the verdict is {reason}, so there is no scanned object to write it onto");
        }

        var quarantine = ObjectPlace.Quarantine(settings);
        var clean = ObjectPlace.Clean(settings);
        return verdict switch
        {
            // Already in the clean place (an upload there): nothing to promote it to; tagged there like any other.
            ScanVerdict.Clean when settings.CleanAction == CleanAction.Promote && !clean.Contains(bucket, key) =>
                MoveTo(clean, bucket, key, (toBucket, toKey) => new WriteBackAction.Promote(toBucket, toKey)),
            // Already in the quarantine location (an upload there, or a copy whose principal was not recognised): tag it
            // where it is; moving it again would only nest quarantine inside quarantine.
            ScanVerdict.Infected when quarantine.Contains(bucket, key) => new WriteBackAction.Tag(),
            ScanVerdict.Infected when settings.InfectedAction == InfectedAction.Delete => new WriteBackAction.Delete(),
            ScanVerdict.Infected when settings.InfectedAction == InfectedAction.Quarantine =>
                MoveTo(quarantine, bucket, key, (toBucket, toKey) => new WriteBackAction.Quarantine(toBucket, toKey)),
            _ when Tagged(verdict, settings.TagVerdicts) => new WriteBackAction.Tag(),
            _ => new WriteBackAction.LeaveAlone(null),
        };
    }

    private static WriteBackAction MoveTo(ObjectPlace place, string bucket, string key, Func<string, string, WriteBackAction> action)
    {
        var (toBucket, toKey) = place.For(bucket, key);
        return action(toBucket, toKey);
    }

    private static bool Tagged(ScanVerdict verdict, TaggedVerdicts tagged) => verdict switch
    {
        ScanVerdict.Clean => tagged.HasFlag(TaggedVerdicts.Clean),
        ScanVerdict.Infected => tagged.HasFlag(TaggedVerdicts.Infected),
        _ => tagged.HasFlag(TaggedVerdicts.Error),
    };
}
