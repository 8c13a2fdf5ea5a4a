using System.Text;
using System.Text.Json.Nodes;
using ScanWorker.Buckets;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Buckets;

/// <summary>Notification bodies of each store, read on bytes: every record, each dialect's key encoding, the wrappers.</summary>
public sealed class BucketEventParserTests
{
    private static BucketEventBatch Parse(string json) => BucketEventParser.Parse(Encoding.UTF8.GetBytes(json));

    public static TheoryData<string> Keys => new()
    {
        "plain.txt",
        "inbox/red flower(1).jpg",
        "a+b/c+d.txt",
        "100% sure/50%2B.bin",
        "deep/er/still/deeper/ünïcødé 文件.pdf",
        "spaces  twice/~tilde!*'.txt",
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void MinIO_keys_come_back_exactly(string key)
    {
        var record = Assert.Single(Parse(BucketEventBodies.Minio(new EventObject("uploads", key, "abc"))).Records);

        Assert.Equal((BucketEventDialect.MinIO, "uploads", key), (record.Dialect, record.Bucket, record.Key));
        Assert.Equal("ObjectCreated:Put", record.Kind);
        Assert.Equal("s3:ObjectCreated:Put", record.EventName);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void AWS_keys_are_form_decoded(string key)
    {
        var record = Assert.Single(Parse(BucketEventBodies.Aws(new EventObject("uploads", key, "abc"))).Records);

        Assert.Equal((BucketEventDialect.Aws, key), (record.Dialect, record.Key));
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Ceph_keys_are_taken_raw(string key)
    {
        var record = Assert.Single(Parse(BucketEventBodies.Ceph(new EventObject("uploads", key, "abc"))).Records);

        Assert.Equal((BucketEventDialect.Ceph, key), (record.Dialect, record.Key));
    }

    [Fact]
    public void The_principal_the_store_reports_is_kept_for_the_own_write_rule()
    {
        var minio = Assert.Single(Parse(BucketEventBodies.Minio(new EventObject("uploads", "k", "abc"))).Records);
        var none = Assert.Single(Parse("""{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"k"}}}]}""").Records);

        Assert.Equal("uploader", minio.Principal);
        Assert.Null(none.Principal);
    }

    [Fact]
    public void A_plus_in_an_AWS_key_is_a_space_and_percent_2B_is_a_plus()
    {
        var json = BucketEventBodies.Aws(new EventObject("b", "x", "e")).Replace("\"key\":\"x\"", "\"key\":\"red+flower%2B1%281%29.jpg\"", StringComparison.Ordinal);

        Assert.Equal("red flower+1(1).jpg", Assert.Single(Parse(json).Records).Key);
    }

    [Fact]
    public void A_MinIO_record_key_with_escaped_slashes_decodes_even_without_the_top_level_Key()
    {
        var body = JsonNode.Parse(BucketEventBodies.Minio(new EventObject("b", "in box/a+b.txt", "e")))!.AsObject();
        Assert.True(body.Remove("Key"));
        var json = body.ToJsonString();
        Assert.Equal("in+box%2Fa%2Bb.txt", body["Records"]![0]!["s3"]!["object"]!["key"]!.GetValue<string>());

        Assert.Equal("in box/a+b.txt", Assert.Single(Parse(json).Records).Key);
    }

    [Fact]
    public void Every_record_is_read_not_only_the_first()
    {
        var batch = Parse(BucketEventBodies.Aws(
            new EventObject("b", "one", "e1", Sequencer: "01"),
            new EventObject("b", "two", "e2", EventName: "ObjectCreated:CompleteMultipartUpload", Sequencer: "02"),
            new EventObject("c", "three", "e3", VersionId: "v3", Sequencer: "03")));

        Assert.Equal(["one", "two", "three"], batch.Records.Select(record => record.Key));
        Assert.Equal(["e1", "e2", "e3"], batch.Records.Select(record => record.ETag));
        Assert.Equal([null, null, "v3"], batch.Records.Select(record => record.VersionId));
        Assert.Equal(["01", "02", "03"], batch.Records.Select(record => record.Sequencer));
        Assert.Equal(48, batch.Records[0].Size);
    }

    [Fact]
    public void SNS_wrapped_bodies_are_unwrapped_both_ways()
    {
        var s3 = BucketEventBodies.Aws(new EventObject("b", "k 1", "e"));

        Assert.Equal("k 1", Assert.Single(Parse(BucketEventBodies.SnsEnvelope(s3)).Records).Key);
        Assert.Equal("k 1", Assert.Single(Parse(BucketEventBodies.SnsRecords(s3)).Records).Key);
    }

    [Fact]
    public void The_S3_test_event_is_recognised_bare_and_through_SNS()
    {
        Assert.True(Parse(BucketEventBodies.TestEvent).IsTestEvent);
        Assert.True(Parse(BucketEventBodies.SnsEnvelope(BucketEventBodies.TestEvent)).IsTestEvent);
        Assert.Empty(Parse(BucketEventBodies.TestEvent).Records);
    }

    [Fact]
    public void Ceph_sizes_written_as_strings_are_read()
    {
        var json = BucketEventBodies.Ceph(new EventObject("b", "k", "e")).Replace("\"size\":48", "\"size\":\"1024\"", StringComparison.Ordinal);

        Assert.Equal(1024, Assert.Single(Parse(json).Records).Size);
    }

    [Fact]
    public void Empty_version_ids_and_etags_are_absent_not_empty()
    {
        var json = BucketEventBodies.Ceph(new EventObject("b", "k", "e", VersionId: "")).Replace("\"eTag\":\"e\"", "\"eTag\":\"\"", StringComparison.Ordinal);
        var record = Assert.Single(Parse(json).Records);

        Assert.Null(record.VersionId);
        Assert.Null(record.ETag);
    }

    [Theory]
    [InlineData("this is not json", "not JSON")]
    [InlineData("[1,2]", "expected a JSON object")]
    [InlineData("""{"scanId":"x"}""", "no Records")]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put"}]}""", "no s3 section")]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{}}}]}""", "no object key")]
    [InlineData("""{"Records":[{"s3":{}}]}""", "no eventName")]
    [InlineData("""{"Records":[7]}""", "not an object")]
    [InlineData("""{"Type":"Notification","Message":"{oops"}""", "SNS Message is not JSON")]
    public void Bodies_that_are_not_notifications_are_refused_with_a_reason(string body, string reason)
    {
        var exception = Assert.Throws<BucketEventFormatException>(() => Parse(body));

        Assert.Contains(reason, exception.Message, StringComparison.Ordinal);
    }
}
