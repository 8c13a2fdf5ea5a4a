namespace ScanWorker.Tests.Infrastructure;

/// <summary>
/// A real Ceph RGW (scripts/servers/ceph-rgw.sh): an S3 server that publishes its own bucket notifications to RabbitMQ.
/// </summary>
/// <param name="Knobs">The script's settings it was started with (its data dir and ports).</param>
/// <param name="ServiceUrl">Its S3 endpoint.</param>
/// <param name="AccessKey">The S3 user's access key.</param>
/// <param name="SecretKey">The S3 user's secret.</param>
/// <param name="UserId">That user's RGW id, which its events name as the principal.</param>
public sealed record CephRgw(IReadOnlyDictionary<string, string> Knobs, Uri ServiceUrl, string AccessKey, string SecretKey, string UserId)
{
    /// <summary>The same server as the S3 helpers see it.</summary>
    public S3Server S3 => new(ServiceUrl, AccessKey, SecretKey);

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The one exchange RGW publishes to on a broker: Pacific keeps one AMQP connection per broker URL, bound to the exchange
    /// of the first topic that used it ("AMQP connect: exchange mismatch" for any other). A direct exchange, routed by
    /// <see cref="TopicOf"/>, so each test's worker receives its own bucket's events only.
    /// </summary>
    public const string Exchange = "rgw-bucket-events";

    /// <summary>The topic of <paramref name="bucket"/>'s events, which RGW uses as the routing key.</summary>
    public static string TopicOf(string bucket) => $"t-{bucket}";

    /// <summary>
    /// Sends the ObjectCreated events of <paramref name="bucket"/> to <see cref="Exchange"/> on <paramref name="broker"/>, routed
    /// by <see cref="TopicOf"/>. The topic is not persistent: RGW sends each event during the upload request, so it is on the
    /// broker when the upload returns (a persistent topic delivers its first event some 20 s later).
    /// </summary>
    public async Task NotifyAsync(string bucket, RabbitMqServer broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var topic = TopicOf(bucket);
        var vhost = broker.VirtualHost is "/" or "" ? string.Empty : "/" + Uri.EscapeDataString(broker.VirtualHost);
        var url = $"amqp://{Uri.EscapeDataString(broker.User)}:{Uri.EscapeDataString(broker.Password)}@{broker.Amqp.Host}:{broker.Amqp.Port}{vhost}";
        var knobs = new Dictionary<string, string>(Knobs) { ["RGW_PERSISTENT_TOPICS"] = "false" };
        await ServerScript.RunAsync("ceph-rgw.sh", "topic", knobs, ScriptTimeout, topic, url, Exchange);
        await ServerScript.RunAsync("ceph-rgw.sh", "notify", Knobs, ScriptTimeout, bucket, $"arn:aws:sns:default::{topic}");
    }
}
