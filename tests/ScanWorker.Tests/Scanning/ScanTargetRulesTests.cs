using ScanWorker.Contracts;
using ScanWorker.Scanning;

namespace ScanWorker.Tests.Scanning;

public sealed class ScanTargetRulesTests
{
    [Fact]
    public void Bucket_and_key_is_S3_and_a_path_is_mount()
    {
        Assert.Equal(ScanTargetKind.S3, ScanTargetRules.Classify(new ScanTarget { Bucket = "bkt", Key = "k", VersionId = "v" }, out _));
        Assert.Equal(ScanTargetKind.S3, ScanTargetRules.Classify(new ScanTarget { Bucket = "Legacy_Bucket.2", Key = "a/.hidden/..b/c..", VersionId = "v" }, out _));
        Assert.Equal(ScanTargetKind.Mount, ScanTargetRules.Classify(new ScanTarget { Path = "a/b.txt" }, out _));
    }

    [Theory]
    [InlineData("b", "k", null, "a.txt", "both")]
    [InlineData(null, null, null, null, "neither")]
    [InlineData("b", null, null, null, "bucket and key")]
    [InlineData(null, "k", null, null, "bucket and key")]
    [InlineData(null, null, "etag", null, "bucket and key")]
    [InlineData("  ", "k", null, null, "bucket and key")]
    public void Anything_else_is_invalid_with_a_reason(string? bucket, string? key, string? etag, string? path, string because)
    {
        var kind = ScanTargetRules.Classify(new ScanTarget { Bucket = bucket, Key = key, ETag = etag, Path = path }, out var problem);

        Assert.Null(kind);
        Assert.Contains(because, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("..", "k", "must be 3 to 255")]
    [InlineData(".", "k", "must be 3 to 255")]
    [InlineData("ab", "k", "must be 3 to 255")]
    [InlineData("a..b", "k", "not a valid S3 bucket name")]
    [InlineData("bad/name", "k", "not a valid S3 bucket name")]
    [InlineData("-leading", "k", "not a valid S3 bucket name")]
    [InlineData("bkt", "a/../b", "'.' or '..' segment")]
    [InlineData("bkt", "./b", "'.' or '..' segment")]
    [InlineData("bkt", "a/..", "'.' or '..' segment")]
    public void Bucket_names_S3_would_refuse_and_dot_segments_in_keys_are_invalid(string bucket, string key, string because)
    {
        var kind = ScanTargetRules.Classify(new ScanTarget { Bucket = bucket, Key = key }, out var problem);

        Assert.Null(kind);
        Assert.Contains(because, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_over_s3s_1024_bytes_of_utf8_is_invalid_and_one_of_exactly_1024_is_not()
    {
        Assert.NotNull(ScanTargetRules.Classify(new ScanTarget { Bucket = "bkt", Key = new string('k', 1024) }, out _));
        Assert.NotNull(ScanTargetRules.Classify(new ScanTarget { Bucket = "bkt", Key = new string('\u00e9', 512) }, out _));
        foreach (var (key, bytes) in new[] { (new string('k', 1025), 1025), (new string('\u00e9', 513), 1026) })
        {
            Assert.Null(ScanTargetRules.Classify(new ScanTarget { Bucket = "bkt", Key = key }, out var problem));
            Assert.Contains($"is {bytes} bytes of UTF-8; S3 keys are at most 1024", problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void No_target_at_all_is_invalid()
    {
        Assert.Null(ScanTargetRules.Classify(null, out var problem));
        Assert.NotNull(problem);
    }
}
