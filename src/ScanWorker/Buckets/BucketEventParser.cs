using System.Globalization;
using System.Text.Json;

namespace ScanWorker.Buckets;

/// <summary>
/// Reads the bucket notifications of AWS S3 (bare, or wrapped by SNS), MinIO (AMQP target) and Ceph RGW
/// into records. Pure: bytes in, records out. Every record of a message is returned, whatever it is;
/// deciding which ones to scan is <see cref="BucketEventFilter"/>'s job.
/// </summary>
public static class BucketEventParser
{
    private const int MaxSnsDepth = 2;

    /// <exception cref="BucketEventFormatException">The body is not JSON, or not a notification shape this worker knows.</exception>
    public static BucketEventBatch Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            return ParseRoot(document.RootElement, depth: 0);
        }
        catch (JsonException exception)
        {
            throw new BucketEventFormatException($"the body is not JSON: {exception.Message}", exception);
        }
        catch (InvalidOperationException exception)
        {
            // JsonElement accessors throw this when a field has the wrong JSON type.
            throw new BucketEventFormatException($"a field has the wrong type: {exception.Message}", exception);
        }
    }

    private static BucketEventBatch ParseRoot(JsonElement root, int depth)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new BucketEventFormatException($"expected a JSON object, found {root.ValueKind}");
        }

        if (String(root, "Event") == "s3:TestEvent")
        {
            return BucketEventBatch.TestEvent;
        }

        // SNS delivered to a queue without raw delivery: the S3 JSON is a string in Message.
        if (String(root, "Type") == "Notification" && String(root, "Message") is { } snsMessage)
        {
            return ParseWrapped(snsMessage, depth);
        }

        if (!root.TryGetProperty("Records", out var records) || records.ValueKind != JsonValueKind.Array)
        {
            throw new BucketEventFormatException("not an S3 event notification: there is no Records array");
        }

        // Only MinIO sends the top-level EventName and Key; its Key is the unescaped "<bucket>/<object>".
        var minio = root.TryGetProperty("EventName", out _) && String(root, "Key") is not null;
        var minioKey = minio && records.GetArrayLength() == 1 ? String(root, "Key") : null;
        var parsed = new List<BucketObjectEvent>();
        var testEvent = false;
        foreach (var record in records.EnumerateArray())
        {
            if (record.ValueKind == JsonValueKind.Object && record.TryGetProperty("Sns", out var sns))
            {
                var inner = ParseWrapped(String(sns, "Message")
                    ?? throw new BucketEventFormatException("an SNS record has no Message"), depth);
                parsed.AddRange(inner.Records);
                testEvent |= inner.IsTestEvent;
                continue;
            }

            parsed.Add(ParseRecord(record, minio, minioKey));
        }

        return parsed.Count == 0 && testEvent ? BucketEventBatch.TestEvent : new BucketEventBatch(parsed, IsTestEvent: false);
    }

    private static BucketEventBatch ParseWrapped(string json, int depth)
    {
        if (depth >= MaxSnsDepth)
        {
            throw new BucketEventFormatException("SNS messages are nested too deeply");
        }

        try
        {
            using var inner = JsonDocument.Parse(json);
            return ParseRoot(inner.RootElement, depth + 1);
        }
        catch (JsonException exception)
        {
            throw new BucketEventFormatException($"an SNS Message is not JSON: {exception.Message}", exception);
        }
    }

    private static BucketObjectEvent ParseRecord(JsonElement record, bool minioBody, string? minioKey)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            throw new BucketEventFormatException($"a record is {record.ValueKind}, not an object");
        }

        var dialect = String(record, "eventSource") switch
        {
            "minio:s3" => BucketEventDialect.MinIO,
            "ceph:s3" => BucketEventDialect.Ceph,
            // Older MinIO releases wrote aws:s3; their body still has the top-level Key.
            _ when minioBody => BucketEventDialect.MinIO,
            _ => BucketEventDialect.Aws,
        };
        var eventName = String(record, "eventName") ?? throw new BucketEventFormatException("a record has no eventName");
        if (!record.TryGetProperty("s3", out var s3) || s3.ValueKind != JsonValueKind.Object)
        {
            throw new BucketEventFormatException($"the {eventName} record has no s3 section");
        }

        var bucket = s3.TryGetProperty("bucket", out var bucketElement) ? String(bucketElement, "name") : null;
        if (string.IsNullOrEmpty(bucket))
        {
            throw new BucketEventFormatException($"the {eventName} record names no bucket");
        }

        if (!s3.TryGetProperty("object", out var obj) || String(obj, "key") is not { Length: > 0 } encodedKey)
        {
            throw new BucketEventFormatException($"the {eventName} record in bucket {bucket} names no object key");
        }

        var key = minioKey is not null && minioKey.StartsWith(bucket + "/", StringComparison.Ordinal)
            ? minioKey[(bucket.Length + 1)..]
            : ObjectKeys.Decode(encodedKey, dialect);
        return new BucketObjectEvent(dialect, eventName, bucket, key,
            VersionId: NullIfEmpty(String(obj, "versionId")),
            ETag: NullIfEmpty(String(obj, "eTag")),
            Sequencer: NullIfEmpty(String(obj, "sequencer")),
            Size: Size(obj),
            Principal: record.TryGetProperty("userIdentity", out var identity) && identity.ValueKind == JsonValueKind.Object
                ? NullIfEmpty(String(identity, "principalId"))
                : null);
    }

    /// <summary>A number, or (in Ceph's documentation) a string holding one.</summary>
    private static long? Size(JsonElement obj)
    {
        if (!obj.TryGetProperty("size", out var size))
        {
            return null;
        }

        return size.ValueKind switch
        {
            JsonValueKind.Number when size.TryGetInt64(out var number) => number,
            JsonValueKind.String when long.TryParse(size.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var text) => text,
            _ => null,
        };
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
