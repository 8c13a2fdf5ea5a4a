using ScanWorker.Sources;

namespace ScanWorker.Tests.Sources;

public sealed class SequentialStreamTests
{
    [Theory(Timeout = 10_000)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public async Task The_parts_read_as_one_stream_in_order_whatever_the_buffer(int bufferSize)
    {
        await using var stream = new SequentialStream(new MemoryStream([1, 2, 3]), new MemoryStream(), new MemoryStream([4, 5]));
        var read = new List<byte>();
        var buffer = new byte[bufferSize];
        int count;
        while ((count = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
        {
            read.AddRange(buffer[..count]);
        }

        Assert.Equal([1, 2, 3, 4, 5], read);
        Assert.Equal(0, await stream.ReadAsync(buffer, TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 10_000)]
    public async Task Disposing_disposes_every_part_read_or_not()
    {
        var first = new MemoryStream([1]);
        var second = new MemoryStream([2]);
        var stream = new SequentialStream(first, second);
        _ = await stream.ReadAsync(new byte[1], TestContext.Current.CancellationToken);

        await stream.DisposeAsync();

        Assert.False(first.CanRead);
        Assert.False(second.CanRead);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_later_part_that_fails_fails_the_read_after_the_earlier_bytes()
    {
        var failing = new OpenOnFirstReadStream(_ => throw new IOException("the rest could not be fetched"));
        await using var stream = new SequentialStream(new MemoryStream([1, 2]), failing);
        var buffer = new byte[8];

        Assert.Equal(2, await stream.ReadAsync(buffer, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<IOException>(() => stream.ReadAsync(buffer, TestContext.Current.CancellationToken).AsTask());
    }
}
