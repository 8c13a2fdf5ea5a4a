using ScanWorker.Buckets;

namespace ScanWorker.Tests.Buckets;

/// <summary>Only new content is scanned; what a scanner's own write-back causes never is (no loops).</summary>
public sealed class BucketEventFilterTests
{
    private static readonly QuarantineLocation SameBucket = new(null, "quarantine/");

    private static BucketObjectEvent Event(string name, string key = "k", BucketEventDialect dialect = BucketEventDialect.Aws, string bucket = "b") =>
        new(dialect, name, bucket, key, null, "e", "01", 1);

    [Theory]
    [InlineData("ObjectCreated:Put")]
    [InlineData("s3:ObjectCreated:Put")]
    [InlineData("ObjectCreated:Post")]
    [InlineData("ObjectCreated:Copy")]
    [InlineData("s3:ObjectCreated:CompleteMultipartUpload")]
    public void New_content_is_scanned(string name) => Assert.Null(BucketEventFilter.WhyIgnored(Event(name), SameBucket));

    [Theory]
    [InlineData("s3:ObjectCreated:PutTagging", "metadata")]
    [InlineData("s3:ObjectCreated:DeleteTagging", "metadata")]
    [InlineData("s3:ObjectCreated:PutRetention", "metadata")]
    [InlineData("s3:ObjectCreated:PutLegalHold", "metadata")]
    [InlineData("ObjectTagging:Put", "not an object-created")]
    [InlineData("s3:ObjectRemoved:Delete", "not an object-created")]
    [InlineData("s3:ObjectAccessed:Get", "not an object-created")]
    [InlineData("ObjectCreated:Frobnicate", "not a kind of upload")]
    public void Events_without_new_content_are_ignored(string name, string reason) =>
        Assert.Contains(reason, BucketEventFilter.WhyIgnored(Event(name), SameBucket), StringComparison.Ordinal);

    [Fact]
    public void Folder_markers_are_ignored() =>
        Assert.Contains("folder", BucketEventFilter.WhyIgnored(Event("ObjectCreated:Put", "photos/"), SameBucket), StringComparison.Ordinal);

    [Fact]
    public void Copies_into_the_quarantine_prefix_are_ignored()
    {
        Assert.Contains("quarantine", BucketEventFilter.WhyIgnored(Event("ObjectCreated:Copy", "quarantine/b/k"), SameBucket), StringComparison.Ordinal);
        Assert.Null(BucketEventFilter.WhyIgnored(Event("ObjectCreated:Copy", "inbox/quarantine/k"), SameBucket));
    }

    [Fact]
    public void A_quarantine_bucket_without_prefix_ignores_everything_in_it_and_nothing_elsewhere()
    {
        var bucket = new QuarantineLocation("jail", string.Empty);

        Assert.NotNull(BucketEventFilter.WhyIgnored(Event("ObjectCreated:Copy", "b/k", bucket: "jail"), bucket));
        Assert.Null(BucketEventFilter.WhyIgnored(Event("ObjectCreated:Put", "b/k", bucket: "b"), bucket));
        Assert.Equal(("jail", "b/k"), bucket.For("b", "k"));
    }

    [Fact]
    public void Only_a_Ceph_Post_may_come_before_its_object()
    {
        Assert.True(BucketEventFilter.MayPrecedeTheObject(Event("ObjectCreated:Post", dialect: BucketEventDialect.Ceph)));
        Assert.False(BucketEventFilter.MayPrecedeTheObject(Event("ObjectCreated:Post", dialect: BucketEventDialect.Aws)));
        Assert.False(BucketEventFilter.MayPrecedeTheObject(Event("ObjectCreated:Put", dialect: BucketEventDialect.Ceph)));
    }
}
