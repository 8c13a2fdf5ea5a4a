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
}
