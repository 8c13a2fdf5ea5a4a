using ScanWorker.Contracts;

namespace ScanWorker.Scanning;

/// <summary>A target is exactly one of an S3 object or a mount path.</summary>
public static class ScanTargetRules
{
    /// <summary>The kind of <paramref name="target"/>, or null with the reason it is invalid.</summary>
    public static ScanTargetKind? Classify(ScanTarget? target, out string? problem)
    {
        problem = null;
        if (target is null)
        {
            problem = "the request has no target";
            return null;
        }

        var s3 = target.Bucket is not null || target.Key is not null || target.VersionId is not null || target.ETag is not null;
        var mount = target.Path is not null;
        switch (s3, mount)
        {
            case (true, true):
                problem = "the target names both an S3 object and a mount path; give exactly one";
                return null;
            case (false, false):
                problem = "the target names neither an S3 object (bucket, key) nor a mount path (path)";
                return null;
            case (true, false) when string.IsNullOrWhiteSpace(target.Bucket) || string.IsNullOrWhiteSpace(target.Key):
                problem = "an S3 target needs both bucket and key";
                return null;
            case (true, false) when (S3ObjectNames.BucketProblem(target.Bucket!) ?? S3ObjectNames.KeyProblem(target.Key!)) is { } naming:
                problem = naming;
                return null;
            case (true, false):
                return ScanTargetKind.S3;
            default:
                return ScanTargetKind.Mount;
        }
    }
}
