using ScanWorker.Buckets;

namespace ScanWorker.Tests.Buckets;

public sealed class BucketScanIdTests
{
    [Fact]
    public void The_same_event_always_gets_the_same_id()
    {
        Assert.Equal(BucketScanId.For("b", "k", "v1", "01"), BucketScanId.For("b", "k", "v1", "01"));
    }

    [Fact]
    public void Any_differing_part_gives_another_id()
    {
        var ids = new[]
        {
            BucketScanId.For("b", "k", "v1", "01"),
            BucketScanId.For("b2", "k", "v1", "01"),
            BucketScanId.For("b", "k2", "v1", "01"),
            BucketScanId.For("b", "k", "v2", "01"),
            BucketScanId.For("b", "k", "v1", "02"),
            BucketScanId.For("b", "k", null, "01"),
            // Parts are length-prefixed: shifting text between parts changes the id.
            BucketScanId.For("b\nk", string.Empty, "v1", "01"),
        };

        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Ids_are_RFC_9562_version_5()
    {
        var text = BucketScanId.For("b", "k", "v1", "01").ToString();

        Assert.Equal('5', text[14]);
        Assert.Contains(text[19], "89ab");
    }
}
