namespace ScanWorker.Buckets;

/// <summary>Which object store wrote an event: it decides how the object key is encoded.</summary>
public enum BucketEventDialect
{
    /// <summary><c>aws:s3</c>: keys are form-encoded (<c>+</c> is a space), <c>/</c> kept.</summary>
    Aws,

    /// <summary><c>minio:s3</c>: keys are form-encoded including <c>/</c>; the top-level <c>Key</c> is already decoded.</summary>
    MinIO,

    /// <summary><c>ceph:s3</c>: keys are the raw object name, not encoded at all.</summary>
    Ceph,
}
