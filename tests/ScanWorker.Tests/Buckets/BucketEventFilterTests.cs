using ScanWorker.Buckets;

namespace ScanWorker.Tests.Buckets;

/// <summary>Only new content is scanned; what a scanner's own write-back causes never is (no loops).</summary>
public sealed class BucketEventFilterTests
{
    private static readonly ObjectPlace SameBucket = new(null, "quarantine/");
    private static readonly IReadOnlySet<string> Own = new HashSet<string>(StringComparer.Ordinal) { "scanworker" };

    private static BucketObjectEvent Event(string name, string key = "k", BucketEventDialect dialect = BucketEventDialect.Aws, string bucket = "b",
        long? size = 1, string? principal = "uploader") =>
        new(dialect, name, bucket, key, null, "e", "01", size, principal);

    [Theory]
    [InlineData("ObjectCreated:Put")]
    [InlineData("s3:ObjectCreated:Put")]
    [InlineData("ObjectCreated:Post")]
    [InlineData("ObjectCreated:Copy")]
    [InlineData("s3:ObjectCreated:CompleteMultipartUpload")]
    public void New_content_is_scanned(string name) => Assert.Null(BucketEventFilter.WhyIgnored(Event(name), SameBucket, Own));

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
        Assert.Contains(reason, BucketEventFilter.WhyIgnored(Event(name), SameBucket, Own), StringComparison.Ordinal);

    [Fact]
    public void Only_empty_folder_markers_are_ignored()
    {
        Assert.Contains("folder", BucketEventFilter.WhyIgnored(Event("ObjectCreated:Put", "photos/", size: 0), SameBucket, Own), StringComparison.Ordinal);
        Assert.Null(BucketEventFilter.WhyIgnored(Event("ObjectCreated:Put", "photos/", size: 68), SameBucket, Own));
        Assert.Null(BucketEventFilter.WhyIgnored(Event("ObjectCreated:Put", "photos/", size: null), SameBucket, Own));
    }

    [Fact]
    public void Only_the_workers_own_copies_into_quarantine_are_ignored_never_a_key_alone()
    {
        Assert.Contains("own copy", BucketEventFilter.WhyIgnored(Event("ObjectCreated:Copy", "quarantine/b/k", principal: "scanworker"), SameBucket, Own),
            StringComparison.Ordinal);
        // An uploader chooses the key: an upload into the quarantine prefix is scanned like any other.
        Assert.Null(BucketEventFilter.WhyIgnored(Event("ObjectCreated:Put", "quarantine/b/k", principal: "uploader"), SameBucket, Own));
        Assert.Null(BucketEventFilter.WhyIgnored(Event("ObjectCreated:Copy", "quarantine/b/k", principal: null), SameBucket, Own));
        Assert.Null(BucketEventFilter.WhyIgnored(Event("ObjectCreated:Copy", "inbox/quarantine/k", principal: "scanworker"), SameBucket, Own));
    }

    [Fact]
    public void A_quarantine_bucket_without_prefix_ignores_only_the_workers_copies_in_it()
    {
        var bucket = new ObjectPlace("jail", string.Empty);

        Assert.NotNull(BucketEventFilter.WhyIgnored(Event("ObjectCreated:Copy", "b/k", bucket: "jail", principal: "scanworker"), bucket, Own));
        Assert.Null(BucketEventFilter.WhyIgnored(Event("ObjectCreated:Put", "b/k", bucket: "jail"), bucket, Own));
        Assert.Null(BucketEventFilter.WhyIgnored(Event("ObjectCreated:Put", "b/k", bucket: "b", principal: "scanworker"), bucket, Own));
        Assert.Equal(("jail", "b/k"), bucket.For("b", "k"));
    }

    [Fact]
    public void Only_the_workers_own_promotions_into_the_clean_place_are_ignored()
    {
        var clean = new ObjectPlace("readers", string.Empty, UnderSourceBucket: false);

        Assert.Equal("the worker's own promotion into the clean place",
            BucketEventFilter.WhyIgnored(Event("ObjectCreated:Copy", "a.pdf", bucket: "readers", principal: "scanworker"), SameBucket, Own, clean));
        Assert.Null(BucketEventFilter.WhyIgnored(Event("ObjectCreated:Put", "a.pdf", bucket: "readers", principal: "someone"), SameBucket, Own, clean));
        Assert.Null(BucketEventFilter.WhyIgnored(Event("ObjectCreated:Put", "a.pdf", bucket: "uploads", principal: "scanworker"), SameBucket, Own, clean));
    }

    [Fact]
    public void Only_a_Ceph_Post_may_come_before_its_object()
    {
        Assert.True(BucketEventFilter.MayPrecedeTheObject(Event("ObjectCreated:Post", dialect: BucketEventDialect.Ceph)));
        Assert.False(BucketEventFilter.MayPrecedeTheObject(Event("ObjectCreated:Post", dialect: BucketEventDialect.Aws)));
        Assert.False(BucketEventFilter.MayPrecedeTheObject(Event("ObjectCreated:Put", dialect: BucketEventDialect.Ceph)));
    }
}
