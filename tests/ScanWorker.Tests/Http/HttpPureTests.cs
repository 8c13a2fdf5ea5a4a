using System.Buffers;
using ScanWorker.Contracts;
using ScanWorker.Http;
using ScanWorker.Sources;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Http;

public sealed class HttpPureTests
{
    [Fact]
    public void The_full_http2_preface_is_http2()
    {
        Assert.Equal(Http2Preface.Verdict.Http2, Http2Preface.Classify(new ReadOnlySequence<byte>("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\x12"u8.ToArray())));
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n")]
    public void A_prefix_of_the_preface_needs_more_data(string received)
    {
        Assert.Equal(Http2Preface.Verdict.NeedMoreData, Http2Preface.Classify(new ReadOnlySequence<byte>(System.Text.Encoding.ASCII.GetBytes(received))));
    }

    [Theory]
    [InlineData("POST /v2/scan HTTP/1.1\r\n")]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("PRI * HTTP/1.1\r\n")]
    public void Anything_else_is_http1_as_soon_as_it_differs(string received)
    {
        Assert.Equal(Http2Preface.Verdict.Http1, Http2Preface.Classify(new ReadOnlySequence<byte>(System.Text.Encoding.ASCII.GetBytes(received))));
    }

    [Fact]
    public void A_preface_split_across_segments_is_recognised()
    {
        var bytes = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
        var first = new SequenceSegment(bytes.AsMemory(0, 5));
        var last = first.Append(bytes.AsMemory(5));

        Assert.Equal(Http2Preface.Verdict.Http2, Http2Preface.Classify(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length)));
    }

    [Theory]
    [InlineData(new[] { 200, 200 }, 200)]
    [InlineData(new[] { 200, 406, 200 }, 406)]
    [InlineData(new[] { 422, 413 }, 413)]
    [InlineData(new[] { 413, 422 }, 422)]
    [InlineData(new[] { 400, 406, 413 }, 406)]
    [InlineData(new[] { 503, 400 }, 503)]
    [InlineData(new int[0], 200)]
    public void The_aggregate_is_the_first_406_else_the_last_non_200(int[] codes, int expected)
    {
        Assert.Equal(expected, StatusAggregation.Aggregate(codes.Select(code => new RestElement("X", string.Empty, null, code))));
    }

    [Theory]
    [InlineData("25M", 25L * 1024 * 1024)]
    [InlineData("512k", 512L * 1024)]
    [InlineData("1G", 1024L * 1024 * 1024)]
    [InlineData("1000", 1000)]
    public void Sizes_read_like_clamd_conf(string text, long bytes)
    {
        Assert.True(SizeText.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("M")]
    [InlineData("-5M")]
    [InlineData("0")]
    [InlineData("25MB")]
    public void Other_sizes_are_refused(string text)
    {
        Assert.False(SizeText.TryParse(text, out _));
    }

    [Fact]
    public async Task A_limited_stream_passes_exactly_the_limit_and_throws_one_byte_over()
    {
        await using var exact = LengthLimitedStream.PerObject(new MemoryStream(new byte[1000]), 1000, "the part");
        await using var over = LengthLimitedStream.PerObject(new MemoryStream(new byte[1001]), 1000, "the part");
        var buffer = new byte[4096];

        Assert.Equal(1000, await ReadAllAsync(exact, buffer));
        var error = await Assert.ThrowsAsync<ScanSourceException>(() => ReadAllAsync(over, buffer));
        Assert.Equal(ScanErrorReason.TooLarge, error.Reason);
    }

    private static async Task<int> ReadAllAsync(Stream stream, byte[] buffer)
    {
        int read, total = 0;
        while ((read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
        {
            total += read;
        }

        return total;
    }
}
