using System.Text;
using ScanWorker.Messaging;

namespace ScanWorker.Tests.Messaging;

public sealed class ScanIdSnifferTests
{
    private static readonly Guid Id = Guid.Parse("6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e");

    [Theory]
    [InlineData("""{"scanId":"6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e","target":{"bucket":"b","key":"k"}}""")]
    [InlineData("""{"scanId":"6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e","target":{"bucket":"b",""")]
    [InlineData("""{"target": {"scanId": "nope"}, "ScanId": "6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e", oops""")]
    [InlineData("""{"messageId":"x","message":{"scanId":"6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e","target":""")]
    [InlineData("""{"SCANID":"6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e","scanId":"6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e"}""")]
    [InlineData("""{"scanId":"{6F1C2D3E-4B5A-4C6D-8E7F-901A2B3C4D5E}","target":{"path":"a"}}""")]
    [InlineData("""{"scanId":"6f1c2d3e4b5a4c6d8e7f901a2b3c4d5e","target":{"path":"a"}}""")]
    [InlineData("""{"message":{"target":{}},"scanId":"6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e","other":{"scanId":"x"}}""")]
    public void Finds_the_scan_id_as_far_as_the_json_is_well_formed(string body)
    {
        Assert.Equal(Id, ScanIdSniffer.Find(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void Finds_it_behind_a_byte_order_mark_deep_nesting_or_bytes_that_are_not_utf8()
    {
        byte[] withMark = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes($$"""{"scanId":"{{Id}}"}""")];
        var nested = Encoding.UTF8.GetBytes($$"""{"x":{{new string('[', 100_000)}}{{new string(']', 100_000)}},"scanId":"{{Id}}"}""");
        byte[] notUtf8 = [.. Encoding.UTF8.GetBytes($$"""{"scanId":"{{Id}}","target":{"path":"a"""), 0xFF, .. "\"}}"u8];

        Assert.True(ScanIdSniffer.StartsWithByteOrderMark(withMark));
        Assert.Equal(Id, ScanIdSniffer.Find(withMark));
        Assert.Equal(Id, ScanIdSniffer.Find(nested));
        Assert.Equal(Id, ScanIdSniffer.Find(notUtf8));
    }

    [Theory]
    [InlineData("""{"scanId":"6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e","scanId":"0b6e2c9a-1d1f-4a57-9d0e-5f8f2a3b4c5d"}""")]
    [InlineData("""{"scanId":"6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e","message":{"ScanId":"0b6e2c9a-1d1f-4a57-9d0e-5f8f2a3b4c5d"}}""")]
    [InlineData("""{"scanId":"6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e","scanId":"nope"}""")]
    public void Two_different_scan_ids_are_no_scan_id(string body)
    {
        Assert.Null(ScanIdSniffer.Find(Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"target":{"scanId":"6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e"}}""")]
    [InlineData("""{"scanId":"not-a-guid"}""")]
    [InlineData("""{"scanId":"00000000-0000-0000-0000-000000000000"}""")]
    [InlineData("""{"scanId":12}""")]
    [InlineData("""{"target":{"bucket":"b" """)]
    [InlineData("")]
    public void Finds_nothing_where_there_is_no_usable_top_level_scan_id(string body)
    {
        Assert.Null(ScanIdSniffer.Find(Encoding.UTF8.GetBytes(body)));
    }
}
