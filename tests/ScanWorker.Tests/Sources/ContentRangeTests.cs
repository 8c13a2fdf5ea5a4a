using FsCheck;
using FsCheck.Fluent;
using ScanWorker.Sources;

namespace ScanWorker.Tests.Sources;

public sealed class ContentRangeTests
{
    [Theory]
    [InlineData("bytes 0-131071/5000000", 0, 131071, 5000000)]
    [InlineData("bytes 0-0/1", 0, 0, 1)]
    [InlineData("BYTES 10-19/20", 10, 19, 20)]
    [InlineData("  bytes 131072-4999999/5000000 ", 131072, 4999999, 5000000)]
    public void A_satisfied_range_reads_as_first_last_and_total(string header, long first, long last, long total) =>
        Assert.Equal(new ContentRange(first, last, total), ContentRange.Parse(header));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bytes */5000")]
    [InlineData("bytes 0-99/*")]
    [InlineData("items 0-9/10")]
    [InlineData("bytes 10-9/20")]
    [InlineData("bytes 0-20/20")]
    [InlineData("bytes -1-5/10")]
    [InlineData("bytes +0-5/10")]
    [InlineData("bytes 0-5/10/12")]
    [InlineData("bytes 0 - 5/10")]
    [InlineData("bytes 0-99999999999999999999/1")]
    public void Anything_else_is_no_range(string? header) => Assert.Null(ContentRange.Parse(header));

    [Fact]
    public void Every_satisfied_range_round_trips_and_has_its_length()
    {
        var ranges =
            from total in Gen.Choose(1, int.MaxValue).Select(value => (long)value * 7)
            from first in Gen.Choose(0, int.MaxValue).Select(value => value % total)
            from length in Gen.Choose(1, int.MaxValue).Select(value => 1 + (value % (total - first)))
            select new ContentRange(first, first + length - 1, total);

        Prop.ForAll(ranges.ToArbitrary(), range =>
            ContentRange.Parse($"bytes {range.First}-{range.Last}/{range.Total}") == range && range.Length == range.Last - range.First + 1
            && range.Last < range.Total).QuickCheckThrowOnFailure();
    }
}
