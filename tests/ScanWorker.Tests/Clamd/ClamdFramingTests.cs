using ScanWorker.Clamd;

namespace ScanWorker.Tests.Clamd;

public sealed class ClamdFramingTests
{
    [Fact]
    public void Commands_are_z_prefixed_and_nul_terminated()
    {
        Assert.Equal("zPING\0"u8.ToArray(), ClamdFraming.Ping.ToArray());
        Assert.Equal("zVERSION\0"u8.ToArray(), ClamdFraming.Version.ToArray());
        Assert.Equal("zSTATS\0"u8.ToArray(), ClamdFraming.Stats.ToArray());
        Assert.Equal("zINSTREAM\0"u8.ToArray(), ClamdFraming.InStream.ToArray());
    }

    [Fact]
    public void A_command_cannot_smuggle_a_terminator()
    {
        Assert.Throws<ArgumentException>(() => ClamdFraming.Command("PING\0SHUTDOWN"));
    }

    [Theory]
    [InlineData(0, new byte[] { 0, 0, 0, 0 })]
    [InlineData(1, new byte[] { 0, 0, 0, 1 })]
    [InlineData(65536, new byte[] { 0, 1, 0, 0 })]
    [InlineData(0x01020304, new byte[] { 1, 2, 3, 4 })]
    public void Chunk_length_is_a_big_endian_uint32(int length, byte[] expected)
    {
        var header = new byte[ClamdFraming.ChunkHeaderSize];
        ClamdFraming.WriteChunkHeader(header, length);

        Assert.Equal(expected, header);
        Assert.Equal((uint)length, ClamdFraming.ReadChunkHeader(header));
    }

    [Fact]
    public void End_of_stream_is_a_zero_length_chunk()
    {
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, ClamdFraming.EndOfStream.ToArray());
    }

    [Fact]
    public void Negative_chunk_length_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ClamdFraming.WriteChunkHeader(new byte[4], -1));
    }
}
