using ScanWorker.Clamd;
using ScanWorker.Contracts;
using ScanWorker.Scanning;

namespace ScanWorker.Tests.Scanning;

public sealed class VerdictRulesTests
{
    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Fact]
    public void OK_for_the_whole_object_is_clean_with_its_hash()
    {
        var outcome = VerdictRules.Decide(Result(new ClamdReply.Clean("stream: OK"), 10, completed: true), expectedLength: 10);

        Assert.Equal(ScanVerdict.Clean, outcome.Verdict);
        Assert.Equal(Hash, outcome.Sha256);
        Assert.Equal(10, outcome.ScannedBytes);
    }

    [Fact]
    public void OK_for_fewer_bytes_than_the_source_announced_is_never_clean()
    {
        var outcome = VerdictRules.Decide(Result(new ClamdReply.Clean("stream: OK"), 9, completed: true), expectedLength: 10);

        Assert.Equal(ScanVerdict.Error, outcome.Verdict);
        Assert.Equal(ScanErrorReason.SourceUnavailable, outcome.Reason);
        Assert.True(outcome.Transient);
        Assert.Null(outcome.Sha256);
    }

    [Fact]
    public void OK_without_a_completed_stream_is_never_clean()
    {
        var outcome = VerdictRules.Decide(Result(new ClamdReply.Clean("stream: OK"), 10, completed: false), expectedLength: null);

        Assert.Equal(ScanVerdict.Error, outcome.Verdict);
        Assert.Equal(ScanErrorReason.ScannerError, outcome.Reason);
    }

    [Fact]
    public void FOUND_is_infected_with_the_signatures()
    {
        var outcome = VerdictRules.Decide(Result(new ClamdReply.Infected("stream: X FOUND", ["X"]), 10, completed: true), 10);

        Assert.Equal(ScanVerdict.Infected, outcome.Verdict);
        Assert.Equal(["X"], outcome.Signatures);
    }

    [Theory]
    [InlineData("limits", ScanErrorReason.LimitsExceeded, false)]
    [InlineData("too-large", ScanErrorReason.TooLarge, false)]
    [InlineData("failed", ScanErrorReason.ScannerError, true)]
    [InlineData("unparseable", ScanErrorReason.ScannerError, false)]
    public void Every_other_answer_is_an_error(string kind, ScanErrorReason reason, bool transient)
    {
        ClamdReply reply = kind switch
        {
            "limits" => new ClamdReply.LimitsExceeded("stream: Heuristics.Limits.Exceeded.MaxScanSize FOUND", "Heuristics.Limits.Exceeded.MaxScanSize"),
            "too-large" => new ClamdReply.TooLarge("INSTREAM size limit exceeded. ERROR"),
            "failed" => new ClamdReply.Failed("stream: Error writing to temporary file ERROR", "Error writing to temporary file"),
            _ => new ClamdReply.Unparseable("stream: maybe"),
        };

        var outcome = VerdictRules.Decide(Result(reply, 10, completed: true), 10);

        Assert.Equal(ScanVerdict.Error, outcome.Verdict);
        Assert.Equal(reason, outcome.Reason);
        Assert.Equal(transient, outcome.Transient);
    }

    [Fact]
    public void Stale_signatures_turn_clean_into_a_transient_StaleSignatures_error_keeping_bytes_and_hash()
    {
        var clean = VerdictRules.Decide(Result(new ClamdReply.Clean("stream: OK"), 10, completed: true), 10);

        var stale = VerdictRules.WithSignatureFreshness(clean, "too old");

        Assert.Equal((ScanVerdict.Error, ScanErrorReason.StaleSignatures, true), (stale.Verdict, stale.Reason, stale.Transient));
        Assert.Equal("too old", stale.Detail);
        Assert.Equal((10L, Hash), (stale.ScannedBytes, stale.Sha256));
        Assert.Same(clean, VerdictRules.WithSignatureFreshness(clean, staleProblem: null));
    }

    [Fact]
    public void Stale_signatures_leave_infected_infected()
    {
        var infected = VerdictRules.Decide(Result(new ClamdReply.Infected("stream: X FOUND", ["X"]), 10, completed: true), 10);

        Assert.Same(infected, VerdictRules.WithSignatureFreshness(infected, "too old"));
    }

    [Fact]
    public void A_failed_engine_canary_turns_clean_into_a_transient_ScannerError_naming_the_canary()
    {
        var clean = VerdictRules.Decide(Result(new ClamdReply.Clean("stream: OK"), 10, completed: true), 10);

        var untrusted = VerdictRules.WithEngineCanary(clean, "the built-in EICAR sample was not detected");

        Assert.Equal((ScanVerdict.Error, ScanErrorReason.ScannerError, true), (untrusted.Verdict, untrusted.Reason, untrusted.Transient));
        Assert.Contains("engine canary failed", untrusted.Detail, StringComparison.Ordinal);
        Assert.Contains("EICAR sample was not detected", untrusted.Detail, StringComparison.Ordinal);
        Assert.Equal((10L, Hash), (untrusted.ScannedBytes, untrusted.Sha256));
        Assert.Same(clean, VerdictRules.WithEngineCanary(clean, canaryProblem: null));
    }

    [Fact]
    public void A_failed_engine_canary_leaves_infected_infected()
    {
        var infected = VerdictRules.Decide(Result(new ClamdReply.Infected("stream: X FOUND", ["X"]), 10, completed: true), 10);

        Assert.Same(infected, VerdictRules.WithEngineCanary(infected, "not detected"));
    }

    private static ClamdAnswer Result(ClamdReply reply, long bytes, bool completed) =>
        new(reply, bytes, completed, completed ? Hash : null, TimeSpan.FromMilliseconds(3));
}
