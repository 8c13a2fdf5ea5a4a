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
    public void Finds_the_scan_id_as_far_as_the_json_is_well_formed(string body)
    {
        Assert.Equal(Id, ScanIdSniffer.Find(Encoding.UTF8.GetBytes(body)));
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
