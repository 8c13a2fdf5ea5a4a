using FsCheck;
using FsCheck.Fluent;
using ScanWorker.Clamd;

namespace ScanWorker.Tests.Clamd;

public sealed class ClamdReplyParserTests
{
    [Theory]
    [InlineData("stream: OK")]
    [InlineData("stream: OK\0")]
    [InlineData("/data/in: a file: OK")]
    public void OK_with_a_path_is_clean(string line)
    {
        Assert.IsType<ClamdReply.Clean>(ClamdReplyParser.ParseScanReply(line));
    }

    [Theory]
    [InlineData("stream: Win.Test.EICAR_HDB-1 FOUND", "Win.Test.EICAR_HDB-1")]
    [InlineData("stream: ScanWorker.Test.EICAR-NDB.UNOFFICIAL FOUND", "ScanWorker.Test.EICAR-NDB.UNOFFICIAL")]
    [InlineData("/data/odd: name: Eicar-Signature FOUND", "Eicar-Signature")]
    [InlineData("stream: Heuristics.Encrypted.Zip FOUND", "Heuristics.Encrypted.Zip")]
    public void FOUND_is_infected_with_the_name_read_from_the_end(string line, string signature)
    {
        var infected = Assert.IsType<ClamdReply.Infected>(ClamdReplyParser.ParseScanReply(line));

        Assert.Equal([signature], infected.Signatures);
        Assert.Equal(line, infected.Raw);
    }

    [Theory]
    [InlineData("stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND", "Heuristics.Limits.Exceeded.MaxFileSize")]
    [InlineData("stream: Heuristics.Limits.Exceeded.MaxScanSize FOUND", "Heuristics.Limits.Exceeded.MaxScanSize")]
    [InlineData("stream: Heuristics.Limits.Exceeded.MaxFiles FOUND", "Heuristics.Limits.Exceeded.MaxFiles")]
    public void A_limits_heuristic_is_not_a_detection_but_limits_exceeded(string line, string signature)
    {
        var limits = Assert.IsType<ClamdReply.LimitsExceeded>(ClamdReplyParser.ParseScanReply(line));

        Assert.Equal(signature, limits.Signature);
    }

    [Fact]
    public void The_stream_limit_error_is_too_large()
    {
        Assert.IsType<ClamdReply.TooLarge>(ClamdReplyParser.ParseScanReply("INSTREAM size limit exceeded. ERROR"));
    }

    [Theory]
    [InlineData("stream: Error writing to temporary file ERROR", "Error writing to temporary file")]
    [InlineData("stream: Can't allocate memory ERROR", "Can't allocate memory")]
    [InlineData("COMMAND UNAVAILABLE", "COMMAND UNAVAILABLE")]
    [InlineData("UNKNOWN COMMAND ERROR", "UNKNOWN COMMAND")]
    public void ERROR_is_a_failure_with_clamds_message(string line, string message)
    {
        var failed = Assert.IsType<ClamdReply.Failed>(ClamdReplyParser.ParseScanReply(line));

        Assert.Equal(message, failed.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("OK")]
    [InlineData(": OK")]
    [InlineData("stream: OKAY")]
    [InlineData("stream: ok")]
    [InlineData("stream: Empty file")]
    [InlineData("stream: FOUND")]
    [InlineData("stream:  FOUND")]
    [InlineData("stream: two words FOUND")]
    [InlineData("PONG")]
    [InlineData("stream: OK trailing")]
    public void Anything_else_is_unparseable_and_never_clean(string line)
    {
        var reply = ClamdReplyParser.ParseScanReply(line);

        Assert.IsType<ClamdReply.Unparseable>(reply);
        Assert.Equal(line, reply.Raw);
    }

    [Theory]
    [InlineData("1: stream: OK", 1, "stream: OK")]
    [InlineData("2: stream: Eicar FOUND", 2, "stream: Eicar FOUND")]
    [InlineData("12: INSTREAM size limit exceeded. ERROR", 12, "INSTREAM size limit exceeded. ERROR")]
    [InlineData("1: ", 1, "")]
    public void A_session_reply_gives_up_its_id_only_to_its_own_request(string line, int id, string expected)
    {
        Assert.True(ClamdReplyParser.TryTakeSessionReply(line, id, out var reply));
        Assert.Equal(expected, reply);
    }

    [Theory]
    [InlineData("stream: OK", 1)]
    [InlineData("2: stream: OK", 1)]
    [InlineData("12: stream: OK", 1)]
    [InlineData("1: stream: OK", 11)]
    [InlineData("01: stream: OK", 1)]
    [InlineData(" 1: stream: OK", 1)]
    [InlineData("1:stream: OK", 1)]
    [InlineData("", 1)]
    public void A_session_reply_for_another_request_or_none_is_refused(string line, int id) =>
        Assert.False(ClamdReplyParser.TryTakeSessionReply(line, id, out _));

    [Fact]
    public void Any_reply_is_taken_by_exactly_the_request_it_was_numbered_for() =>
        Prop.ForAll(
            (from numbered in Gen.Choose(1, 100_000)
             from asked in Gen.Choose(1, 100_000)
             from body in Gen.Elements("stream: OK", "stream: X FOUND", "stream: OK: OK", "3: stream: OK", "", " ERROR")
             select (numbered, asked, body)).ToArbitrary(),
            input =>
            {
                var (numbered, asked, body) = input;
                var taken = ClamdReplyParser.TryTakeSessionReply($"{numbered}: {body}", asked, out var reply);
                return taken == (numbered == asked) && (!taken || reply == body);
            }).QuickCheckThrowOnFailure();
}
