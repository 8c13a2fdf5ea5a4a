using ScanWorker.Clamd;

namespace ScanWorker.Tests.Clamd;

/// <summary>What clamd owes each canary sample, judged on values.</summary>
public sealed class CanarySampleTests
{
    private static readonly CanarySample MustDetect = new("detect-me", MustDetect: true, () => Stream.Null);
    private static readonly CanarySample MustBeClean = new("clean-me", MustDetect: false, () => Stream.Null);

    [Fact]
    public void A_must_detect_sample_passes_only_when_found()
    {
        Assert.Null(MustDetect.Judge(Result(new ClamdReply.Infected("stream: X FOUND", ["X"]))));
        Assert.Equal("detect-me was not detected (clamd answered OK)", MustDetect.Judge(Result(new ClamdReply.Clean("stream: OK"))));
        Assert.Equal("detect-me: clamd answered 'stream: x ERROR'", MustDetect.Judge(Result(new ClamdReply.Failed("stream: x ERROR", "x"))));
    }

    [Fact]
    public void A_must_be_clean_sample_passes_only_when_clean_and_complete()
    {
        Assert.Null(MustBeClean.Judge(Result(new ClamdReply.Clean("stream: OK"))));
        Assert.Equal("clean-me must be clean but was detected as X, Y",
            MustBeClean.Judge(Result(new ClamdReply.Infected("stream: X FOUND", ["X", "Y"]))));
        Assert.NotNull(MustBeClean.Judge(Result(new ClamdReply.Clean("stream: OK"), completed: false)));
    }

    [Fact]
    public void The_built_in_sample_is_the_68_byte_EICAR_file()
    {
        using var content = CanarySample.Eicar.Open();
        using var copy = new MemoryStream();
        content.CopyTo(copy);

        Assert.Equal(Infrastructure.TestContent.Eicar, copy.ToArray());
        Assert.True(CanarySample.Eicar.MustDetect);
    }

    private static ClamdAnswer Result(ClamdReply reply, bool completed = true) =>
        new(reply, 68, completed, completed ? "hash" : null, TimeSpan.Zero);
}
