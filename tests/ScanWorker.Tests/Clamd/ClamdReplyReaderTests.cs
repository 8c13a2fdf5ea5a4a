using System.Text;
using ScanWorker.Clamd;

namespace ScanWorker.Tests.Clamd;

public sealed class ClamdReplyReaderTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_up_to_the_terminator_when_bytes_arrive_one_at_a_time()
    {
        using var stream = new TrickleStream("stream: OK\0"u8.ToArray());

        Assert.Equal("stream: OK", await ClamdReplyReader.ReadAsync(stream, 64, Token));
    }

    [Fact]
    public async Task Ignores_bytes_after_the_terminator()
    {
        using var stream = new MemoryStream("PONG\0garbage"u8.ToArray());

        Assert.Equal("PONG", await ClamdReplyReader.ReadAsync(stream, 64, Token));
    }

    [Fact]
    public async Task A_peer_that_closes_before_any_byte_is_end_of_stream()
    {
        using var stream = new MemoryStream([]);

        await Assert.ThrowsAsync<EndOfStreamException>(() => ClamdReplyReader.ReadAsync(stream, 64, Token));
    }

    [Fact]
    public async Task A_peer_that_closes_mid_reply_is_invalid_data_naming_what_arrived()
    {
        using var stream = new MemoryStream("stream: O"u8.ToArray());

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ClamdReplyReader.ReadAsync(stream, 64, Token));
        Assert.Contains("'stream: O'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_longer_than_the_limit_is_invalid_data()
    {
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes(new string('x', 100) + "\0"));

        await Assert.ThrowsAsync<InvalidDataException>(() => ClamdReplyReader.ReadAsync(stream, 50, Token));
    }

    [Fact]
    public async Task A_reply_exactly_at_the_limit_is_read()
    {
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes(new string('x', 49) + "\0"));

        Assert.Equal(49, (await ClamdReplyReader.ReadAsync(stream, 50, Token)).Length);
    }

    /// <summary>Returns one byte per read, as a slow network might.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
