using System.ComponentModel.DataAnnotations;

namespace ScanWorker.Buckets;

/// <summary>Bucket notifications in, verdicts written back. Section <c>BucketEvents</c>.</summary>
public sealed class BucketEventsOptions
{
    public const string SectionName = "BucketEvents";

    /// <summary>Consume bucket notifications and rescan requests. Off by default: the worker then only takes ScanRequested.</summary>
    public bool Enabled { get; set; }

    /// <summary>Queue the notifications arrive on (raw S3 event JSON).</summary>
    [Required]
    public string Queue { get; set; } = "scan-bucket-events";

    /// <summary>
    /// Exchange the store publishes to; the queue is bound to it. Empty: nothing is declared or bound, for a
    /// store that publishes to the default exchange with the queue name as routing key, or bindings made by the operator.
    /// </summary>
    public string Exchange { get; set; } = "bucket-events";

    /// <summary><c>fanout</c>, <c>direct</c> or <c>topic</c>: must equal the store's setting (MinIO <c>exchange_type</c>; Ceph needs <c>topic</c>).</summary>
    [Required]
    public string ExchangeType { get; set; } = "fanout";

    /// <summary>Binding key: MinIO's <c>routing_key</c>, or Ceph's topic name (or <c>#</c>).</summary>
    public string RoutingKey { get; set; } = string.Empty;

    /// <summary>Must equal MinIO's <c>durable</c> (declared on every publish); a mismatch closes the store's channel.</summary>
    public bool ExchangeDurable { get; set; } = true;

    /// <summary>Must equal MinIO's <c>auto_deleted</c>.</summary>
    public bool ExchangeAutoDelete { get; set; }

    /// <summary>The live lane: one message per object of a notification.</summary>
    [Required]
    public string ObjectsQueue { get; set; } = "scan-bucket-objects";

    /// <summary>The backlog lane: one message per object of a rescan, consumed with <see cref="RescanConcurrency"/>.</summary>
    [Required]
    public string RescanQueue { get; set; } = "scan-bucket-rescans";

    /// <summary>Queue that receives <c>RescanRequested</c>.</summary>
    [Required]
    public string RescanRequestsQueue { get; set; } = "scan-rescan-requests";

    /// <summary>
    /// Where rescans report their pages and results, counted by one worker at a time (a single-active-consumer queue) into
    /// each rescan's totals and its <c>RescanCompleted</c>.
    /// </summary>
    [Required]
    public string RescanProgressQueue { get; set; } = "scan-rescan-progress";

    /// <summary>
    /// Buckets (or <c>bucket/prefix</c>) rescanned when clamd's signature version goes up: their objects whose clean verdict
    /// came from older signatures and that are younger than <see cref="SignatureUpdateWindow"/>. Empty: no such rescans.
    /// </summary>
    public IList<string> SignatureUpdateRescans { get; } = [];

    /// <summary>How far back a signature-update rescan reaches, by the objects' last modification.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan SignatureUpdateWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Where workers report a signature update they saw; one worker at a time turns each version into its rescans.</summary>
    [Required]
    public string SignatureUpdatesQueue { get; set; } = "scan-signature-updates";

    /// <summary>Backlog scans at once per worker; the rest of clamd's capacity stays with live uploads.</summary>
    [Range(1, 1_000)]
    public int RescanConcurrency { get; set; } = 1;

    /// <summary>Objects a rescan enqueues per second, per worker.</summary>
    [Range(1, 100_000)]
    public int RescanObjectsPerSecond { get; set; } = 50;

    /// <summary>Objects listed per page; each page is one message, so a rescan survives restarts page by page.</summary>
    [Range(1, 1_000)]
    public int RescanPageSize { get; set; } = 100;

    /// <summary>Verdicts written onto the object as tags (<c>Clean, Infected, Error</c>, or <c>None</c>).</summary>
    public TaggedVerdicts TagVerdicts { get; set; } = TaggedVerdicts.All;

    /// <summary>Prefix of the tag keys: <c>scan-status</c>, <c>scan-signature</c>, <c>scan-reason</c>, <c>scan-engine</c>, <c>scan-time</c>.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9 +\\-=._:/@]{1,64}$")]
    public string TagPrefix { get; set; } = "scan-";

    public InfectedAction InfectedAction { get; set; } = InfectedAction.Leave;

    /// <summary><c>Leave</c> (tagged in place) or <c>Promote</c> (moved to the clean place readers use).</summary>
    public CleanAction CleanAction { get; set; } = CleanAction.Leave;

    /// <summary>Bucket that receives promoted clean objects; unset: the object's own bucket (then CleanPrefix is needed).</summary>
    public string? CleanBucket { get; set; }

    /// <summary>Prefix of promoted keys: <c>{prefix}{key}</c>. Events for keys there from the worker's own principal are not scanned.</summary>
    public string CleanPrefix { get; set; } = string.Empty;

    /// <summary>Bucket that receives quarantined objects; unset: the object's own bucket.</summary>
    public string? QuarantineBucket { get; set; }

    /// <summary>Prefix of quarantined keys: <c>{prefix}{bucket}/{key}</c>. Events for keys there are never scanned.</summary>
    public string QuarantinePrefix { get; set; } = "quarantine/";

    /// <summary>
    /// The principals (the events' <c>userIdentity.principalId</c>) that are this worker's own S3 identity: their
    /// copies into the quarantine location are its own writes and are not scanned again. Unset: S3:AccessKey (what
    /// MinIO reports). The store sets this field, an uploader cannot; give the worker credentials of its own.
    /// </summary>
    public IList<string> OwnPrincipals { get; } = [];

    /// <summary>Attempts of a write-back (tagging, copy, delete) that failed for a transient reason, before it is reported.</summary>
    [Range(1, 20)]
    public int WriteBackAttempts { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan WriteBackRetryInterval { get; set; } = TimeSpan.FromSeconds(1);
}
