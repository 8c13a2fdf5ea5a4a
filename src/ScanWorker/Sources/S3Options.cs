using System.ComponentModel.DataAnnotations;

namespace ScanWorker.Sources;

/// <summary>How to reach S3 or an S3-compatible store. Section <c>S3</c>.</summary>
public sealed class S3Options
{
    public const string SectionName = "S3";

    /// <summary>Endpoint of an S3-compatible store (MinIO, Ceph RGW); unset for AWS S3.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Region; for AWS S3 unset means the SDK's default chain (AWS_REGION, profile).</summary>
    public string? Region { get; set; }

    /// <summary>Path-style addressing (bucket in the path); MinIO and Ceph usually need it.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>Access key; with <see cref="SecretKey"/>, or neither for the SDK's default credential chain.</summary>
    public string? AccessKey { get; set; }

    /// <summary>Secret key; never logged.</summary>
    public string? SecretKey { get; set; }

    /// <summary>
    /// Buckets the worker may read (requests, bucket events, rescans); unset: any bucket its credentials reach. Whoever
    /// may publish to the request queue may otherwise read, through the worker, whatever its S3 credentials can.
    /// </summary>
    public IList<string> AllowedBuckets { get; } = [];

    /// <summary>
    /// S3 objects opened ahead of clamd's scan slots, so each GET's latency overlaps other scans instead of leaving a
    /// slot idle. On a worker with S3 configured and Messaging:ConcurrentMessageLimit unset, the scan queues take this
    /// many messages more than twice the clamd slots. Each holds one open GET of at most an object's first 128 KiB (in
    /// the socket's buffer, never in the worker's memory); the rest of a larger object comes when its scan gets there.
    /// 0: no read-ahead.
    /// </summary>
    [Range(0, 1_000)]
    public int ReadAhead { get; set; } = 32;
}
