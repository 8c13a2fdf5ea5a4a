using System.ComponentModel.DataAnnotations;

namespace ScanWorker.Messaging;

/// <summary>The queue side of the worker. Section <c>Messaging</c>; the broker itself is section <c>RabbitMq</c>.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>Consume scan requests from RabbitMQ. Off: the process serves HTTP only.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Queue that receives <c>ScanRequested</c> (MassTransit envelopes or plain JSON).</summary>
    [Required]
    public string ScanRequestsQueue { get; set; } = "scan-requests";

    /// <summary>Messages handled at once. Unset: twice Clamd:MaxConcurrentScans (or twice clamd's default MaxThreads, 10).</summary>
    [Range(1, 10_000)]
    public int? ConcurrentMessageLimit { get; set; }

    /// <summary>Messages the broker delivers ahead. Unset: twice the concurrent message limit.</summary>
    [Range(1, 65_535)]
    public int? PrefetchCount { get; set; }

    /// <summary>
    /// Type of every queue the worker declares (requests, bucket lanes, rescans and their error queues). Quorum by
    /// default: replicated, and a broker killed mid-run forgets no acks (a classic queue redelivered seconds' worth).
    /// </summary>
    public QueueType QueueType { get; set; } = QueueType.Quorum;

    /// <summary>Retries of a scan that failed for a transient reason, in-process with exponential backoff.</summary>
    [Range(0, 100)]
    public int RetryLimit { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// On shutdown, how long scans in flight may take to finish; a scan still running then is cancelled,
    /// publishes nothing and is redelivered.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
