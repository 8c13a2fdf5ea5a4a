using ScanWorker.Clamd;
using ScanWorker.Contracts;
using ScanWorker.Http;
using ScanWorker.Scanning;
using ScanWorker.Sources;

namespace ScanWorker.Tests.Scanning;

/// <summary>The scan core's one failure mapping, and the REST facade's reading of it: the same outcome whoever asked.</summary>
public sealed class ScanCoreTests
{
    private static readonly ClamdAddress Address = ClamdAddress.Tcp("127.0.0.1", 3310);

    public static TheoryData<Exception, ScanErrorReason, bool, int> Failures => new()
    {
        { new ClamdProtocolException("answered before the stream ended", Address, ClamdPhase.SendStream, 10, null), ScanErrorReason.ScannerError, true, 503 },
        { new ClamdUnavailableException("refused", Address, ClamdPhase.Connect, 0, null), ScanErrorReason.ScannerUnavailable, true, 503 },
        { new ClamdTimeoutException("idle", Address, ClamdPhase.SendStream, 10), ScanErrorReason.Timeout, true, 503 },
        { new ScanSourceException(ScanErrorReason.NotFound, "gone"), ScanErrorReason.NotFound, false, 412 },
        { new ScanSourceException(ScanErrorReason.TooLarge, "big"), ScanErrorReason.TooLarge, false, 413 },
        { new ScanSourceException(ScanErrorReason.InvalidRequest, "no S3 (set S3__ServiceUrl)"), ScanErrorReason.InvalidRequest, false, 400 },
        { new IOException("connection reset by the store"), ScanErrorReason.SourceUnavailable, true, 412 },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Every_failure_has_one_reason_and_one_rest_status(Exception failure, ScanErrorReason reason, bool transient, int status)
    {
        var outcome = ScanCore.Failed("upload", failure, CancellationToken.None);

        Assert.NotNull(outcome);
        Assert.Equal(ScanVerdict.Error, outcome.Verdict);
        Assert.Equal((reason, transient), (outcome.Reason, outcome.Transient));
        Assert.Equal(status, RestVerdicts.From(outcome, "f").HttpStatus);
    }

    [Fact]
    public void A_clamd_timeout_is_a_clamd_failure_and_a_cancellation_by_the_caller_is_not()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.True(ClamdFailure.Is(new ClamdTimeoutException("idle", Address, ClamdPhase.AwaitReply, 0), CancellationToken.None));
        Assert.True(ClamdFailure.Is(new OperationCanceledException(), CancellationToken.None));
        Assert.False(ClamdFailure.Is(new OperationCanceledException(cancelled.Token), cancelled.Token));
        Assert.False(ClamdFailure.Is(new InvalidOperationException(), CancellationToken.None));
    }

    [Fact]
    public void Cancellation_and_the_request_cap_are_not_the_scans_to_decide()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Null(ScanCore.Failed("upload", new IOException("aborted"), cancelled.Token));
        Assert.Null(ScanCore.Failed("upload", new RequestTooLargeException(10), CancellationToken.None));
        Assert.Null(ScanCore.Failed("upload", new InvalidOperationException("a bug"), CancellationToken.None));
    }

    [Theory]
    [InlineData(ScanErrorReason.StaleSignatures, 503)]
    [InlineData(ScanErrorReason.LimitsExceeded, 400)]
    [InlineData(ScanErrorReason.AccessDenied, 412)]
    [InlineData(ScanErrorReason.Changed, 412)]
    public void Rest_statuses_follow_the_outcome_alone(ScanErrorReason reason, int status)
    {
        Assert.Equal(status, RestVerdicts.From(ScanOutcome.Error(reason, "why"), null).HttpStatus);
    }

    [Fact]
    public void Clamds_own_words_are_echoed_where_clamav_rest_echoes_them()
    {
        var failed = ScanOutcome.Error(ScanErrorReason.ScannerError, "clamd: x") with { Reply = new ClamdReply.Failed("x ERROR", "Can't allocate memory") };
        var unparseable = ScanOutcome.Error(ScanErrorReason.ScannerError, "?") with { Reply = new ClamdReply.Unparseable("garbage") };
        var limits = ScanOutcome.Error(ScanErrorReason.LimitsExceeded, "skipped") with
        {
            Reply = new ClamdReply.LimitsExceeded("stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND", "Heuristics.Limits.Exceeded.MaxFileSize"),
        };

        Assert.Equal(("ERROR", "Can't allocate memory", 400), Element(failed));
        Assert.Equal(("PARSE ERROR", "Regex had no matches", 412), Element(unparseable));
        Assert.Equal(("ERROR", "Heuristics.Limits.Exceeded.MaxFileSize", 400), Element(limits));
    }

    private static (string, string, int) Element(ScanOutcome outcome)
    {
        var element = RestVerdicts.From(outcome, null);
        return (element.Status, element.Description, element.HttpStatus);
    }
}
