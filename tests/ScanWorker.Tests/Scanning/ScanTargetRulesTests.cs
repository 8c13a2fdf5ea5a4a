using ScanWorker.Contracts;
using ScanWorker.Scanning;

namespace ScanWorker.Tests.Scanning;

public sealed class ScanTargetRulesTests
{
    [Fact]
    public void Bucket_and_key_is_S3_and_a_path_is_mount()
    {
        Assert.Equal(ScanTargetKind.S3, ScanTargetRules.Classify(new ScanTarget { Bucket = "b", Key = "k", VersionId = "v" }, out _));
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

    [Fact]
    public void No_target_at_all_is_invalid()
    {
        Assert.Null(ScanTargetRules.Classify(null, out var problem));
        Assert.NotNull(problem);
    }
}
