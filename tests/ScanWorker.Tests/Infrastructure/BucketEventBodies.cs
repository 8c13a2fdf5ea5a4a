using System.Text.Encodings.Web;
using System.Text.Json;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>One object an event is about.</summary>
internal sealed record EventObject(string Bucket, string Key, string ETag, string EventName = "ObjectCreated:Put", string? VersionId = null,
    string Sequencer = "0055AED6DCD90281E5", long Size = 48);

/// <summary>
/// Notification bodies exactly as the stores write them (shapes from the reference: MinIO's AMQP target,
/// AWS S3, SNS around AWS, Ceph RGW), including each store's encoding of the object key.
/// </summary>
internal static class BucketEventBodies
{
    // Like Go's encoding/json: non-ASCII and '+' stay as they are.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Go's <c>url.QueryEscape</c>, which MinIO applies to the key: spaces become <c>+</c>, <c>/</c> becomes <c>%2F</c>.</summary>
    public static string MinioEscape(string key) => Uri.EscapeDataString(key).Replace("%20", "+", StringComparison.Ordinal);

    /// <summary>AWS form-encodes the key but keeps <c>/</c>.</summary>
    public static string AwsEscape(string key) => MinioEscape(key).Replace("%2F", "/", StringComparison.Ordinal);

    public static string Minio(EventObject item)
    {
        var eventName = item.EventName.StartsWith("s3:", StringComparison.Ordinal) ? item.EventName : "s3:" + item.EventName;
        var record = Record(item, "minio:s3", "2.0", eventName, MinioEscape(item.Key), extra: new Dictionary<string, object?>
        {
            ["source"] = new { host = "10.0.0.5", port = "", userAgent = "MinIO (linux; amd64) minio-go/v7.0.0" },
        });
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["EventName"] = eventName,
            ["Key"] = $"{item.Bucket}/{item.Key}",
            ["Records"] = new[] { record },
        }, Json);
    }

    public static string Aws(params EventObject[] items) => JsonSerializer.Serialize(new
    {
        Records = items.Select(item => Record(item, "aws:s3", "2.1", item.EventName, AwsEscape(item.Key))).ToArray(),
    }, Json);

    public static string Ceph(EventObject item) => JsonSerializer.Serialize(new
    {
        Records = new[] { Record(item, "ceph:s3", "2.1", item.EventName, item.Key) },
    }, Json);

    /// <summary>An AWS body as SNS delivers it to a queue without raw delivery: the S3 JSON is a string.</summary>
    public static string SnsEnvelope(string s3Json) => JsonSerializer.Serialize(new
    {
        Type = "Notification",
        MessageId = "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
        TopicArn = "arn:aws:sns:eu-west-1:123456789012:uploads",
        Subject = "Amazon S3 Notification",
        Message = s3Json,
        Timestamp = "2025-01-15T10:20:31.000Z",
    }, Json);

    /// <summary>An AWS body as SNS hands it to Lambda-style consumers: <c>Records[].Sns.Message</c>.</summary>
    public static string SnsRecords(string s3Json) => JsonSerializer.Serialize(new
    {
        Records = new[] { new { EventSource = "aws:sns", Sns = new { Type = "Notification", Message = s3Json } } },
    }, Json);

    public const string TestEvent =
        """{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2025-01-15T10:20:30.000Z","Bucket":"uploads","RequestId":"5582815E1AEA5ADF","HostId":"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"}""";

    private static Dictionary<string, object?> Record(EventObject item, string source, string version, string eventName, string encodedKey,
        Dictionary<string, object?>? extra = null)
    {
        var obj = new Dictionary<string, object?>
        {
            ["key"] = encodedKey,
            ["size"] = item.Size,
            ["eTag"] = item.ETag.Trim('"'),
            ["sequencer"] = item.Sequencer,
        };
        if (item.VersionId is not null)
        {
            obj["versionId"] = item.VersionId;
        }

        var record = new Dictionary<string, object?>
        {
            ["eventVersion"] = version,
            ["eventSource"] = source,
            ["awsRegion"] = "",
            ["eventTime"] = "2025-01-15T10:20:30.123Z",
            ["eventName"] = eventName,
            ["userIdentity"] = new { principalId = "uploader" },
            ["requestParameters"] = new { sourceIPAddress = "10.0.0.5" },
            ["responseElements"] = new Dictionary<string, string> { ["x-amz-request-id"] = "181B4C2D3E4F5A6B" },
            ["s3"] = new Dictionary<string, object?>
            {
                ["s3SchemaVersion"] = "1.0",
                ["configurationId"] = "scan-on-upload",
                ["bucket"] = new { name = item.Bucket, ownerIdentity = new { principalId = "uploader" }, arn = $"arn:aws:s3:::{item.Bucket}" },
                ["object"] = obj,
            },
        };
        foreach (var (key, value) in extra ?? [])
        {
            record[key] = value;
        }

        return record;
    }
}
