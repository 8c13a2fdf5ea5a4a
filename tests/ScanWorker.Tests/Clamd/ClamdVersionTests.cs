using ScanWorker.Clamd;

namespace ScanWorker.Tests.Clamd;

public sealed class ClamdVersionTests
{
    [Fact]
    public void Full_reply_has_engine_signature_version_and_date()
    {
        Assert.True(ClamdVersion.TryParse("ClamAV 1.4.2/27826/Thu Nov 20 10:13:12 2025", out var version));

        Assert.Equal("1.4.2", version!.Engine);
        Assert.Equal(27826, version.SignatureVersion);
        Assert.Equal(new DateTimeOffset(2025, 11, 20, 10, 13, 12, TimeSpan.Zero), version.SignatureDate);
    }

    [Fact]
    public void Ctime_pads_single_digit_days_with_a_space()
    {
        Assert.True(ClamdVersion.TryParse("ClamAV 1.0.7/27000/Thu Nov  6 09:01:02 2025", out var version));

        Assert.Equal(new DateTimeOffset(2025, 11, 6, 9, 1, 2, TimeSpan.Zero), version!.SignatureDate);
    }

    [Fact]
    public void Bare_engine_version_without_a_database_is_accepted()
    {
        Assert.True(ClamdVersion.TryParse("ClamAV 1.4.6", out var version));

        Assert.Equal("1.4.6", version!.Engine);
        Assert.Null(version.SignatureVersion);
        Assert.Null(version.SignatureDate);
    }

    [Theory]
    [InlineData("")]
    [InlineData("PONG")]
    [InlineData("ClamAV ")]
    [InlineData("COMMAND UNAVAILABLE")]
    public void Other_replies_are_not_versions(string reply)
    {
        Assert.False(ClamdVersion.TryParse(reply, out _));
    }
}
