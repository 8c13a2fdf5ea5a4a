using ScanWorker.Buckets;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Buckets;

/// <summary>
/// Notification bodies exactly as a real Ceph RGW 16.2.15 sent them to RabbitMQ (recorded with
/// scripts/servers/ceph-rgw.sh, in Buckets/Recorded): keys not URL-encoded, event names without <c>s3:</c>, unquoted
/// ETags, <c>versionId</c> empty on an unversioned bucket, the RGW user id as principal, one record per message.
/// </summary>
public sealed class RecordedCephEventTests
{
    public static TheoryData<string, string, string, string?, string> Recorded => new()
    {
        // file, event name, key, version id, ETag
        { "put-with-user-tags.json", "ObjectCreated:Put", "docs/report+2026 final.txt", null, "8ff4324767d89ac57a695301f5baf3e8" },
        { "copy.json", "ObjectCreated:Copy", "copies/report-copy.txt", null, "8ff4324767d89ac57a695301f5baf3e8" },
        { "complete-multipart-upload.json", "ObjectCreated:CompleteMultipartUpload", "multi/part.bin", null, "d2f2aad688384c806ebda0e64586c3f6-1" },
        { "versioned-put.json", "ObjectCreated:Put", "kéy one.txt", "kBLOHie.f5DIi.F-h4lujTPT8z1Jwjv", "dd8f100298ff923592ab35dc15788abc" },
    };

    [Theory]
    [MemberData(nameof(Recorded))]
    public void A_recorded_event_reads_as_the_object_it_announced_and_is_scanned(string file, string eventName, string key, string? versionId,
        string eTag)
    {
        var body = File.ReadAllBytes(RepositoryRoot.Combine("tests", "ScanWorker.Tests", "Buckets", "Recorded", "ceph-rgw-16.2", file));

        var record = Assert.Single(BucketEventParser.Parse(body).Records);

        Assert.Equal((BucketEventDialect.Ceph, eventName, key, versionId), (record.Dialect, record.EventName, record.Key, record.VersionId));
        Assert.Equal(("scanworker", eTag), (record.Principal, record.ETag));

        Assert.Null(BucketEventFilter.WhyIgnored(record, new ObjectPlace(null, "quarantine/"), new HashSet<string> { "scanworker" }));
    }
}
