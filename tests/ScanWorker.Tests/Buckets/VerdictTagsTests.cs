using ScanWorker.Buckets;
using ScanWorker.Clamd;
using ScanWorker.Contracts;
using ScanWorker.Scanning;

namespace ScanWorker.Tests.Buckets;

/// <summary>The tag rules on values: user tags are never dropped, S3's limit of 10 holds, ours replace ours.</summary>
public sealed class VerdictTagsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 21, 10, 20, 30, TimeSpan.Zero);
    private static readonly ClamdVersion Engine = new("1.4.6", 27500, null, "ClamAV 1.4.6/27500");

    private static KeyValuePair<string, string> Tag(string key, string value) => new(key, value);

    [Fact]
    public void Clean_infected_and_error_write_status_detail_engine_and_time()
    {
        var clean = VerdictTags.For(new ScanOutcome { Verdict = ScanVerdict.Clean, Engine = Engine }, At, "scan-");
        var infected = VerdictTags.For(new ScanOutcome { Verdict = ScanVerdict.Infected, Signatures = ["Eicar-Test-Signature", "Win.X"] }, At, "scan-");
        var error = VerdictTags.For(ScanOutcome.Error(ScanErrorReason.TooLarge, "big"), At, "av-");

        Assert.Equal([Tag("scan-status", "clean"), Tag("scan-engine", "1.4.6/27500"), Tag("scan-time", "2026-11-21T10:20:30Z")], clean);
        Assert.Equal([Tag("scan-status", "infected"), Tag("scan-signature", "Eicar-Test-Signature Win.X"), Tag("scan-time", "2026-11-21T10:20:30Z")],
            infected);
        Assert.Equal([Tag("av-status", "error"), Tag("av-reason", "TooLarge"), Tag("av-time", "2026-11-21T10:20:30Z")], error);
    }

    [Fact]
    public void User_tags_are_kept_and_our_old_tags_replaced()
    {
        var existing = new[] { Tag("owner", "team-a"), Tag("scan-status", "infected"), Tag("scan-signature", "Old.Sig"), Tag("project", "x") };
        var ours = new[] { Tag("scan-status", "clean"), Tag("scan-time", "t") };

        var merged = VerdictTags.Merge(existing, ours, "scan-");

        Assert.Equal([Tag("owner", "team-a"), Tag("project", "x"), Tag("scan-status", "clean"), Tag("scan-time", "t")], merged);
    }

    [Fact]
    public void When_space_is_short_the_least_useful_of_ours_go_first()
    {
        var existing = Enumerable.Range(0, 8).Select(i => Tag($"user{i}", "v")).ToList();
        var ours = VerdictTags.For(new ScanOutcome { Verdict = ScanVerdict.Infected, Signatures = ["Sig"], Engine = Engine }, At, "scan-");

        var merged = VerdictTags.Merge(existing, ours, "scan-");

        Assert.Equal(VerdictTags.MaxTagsPerObject, merged.Count);
        Assert.Equal(existing, merged.Take(8));
        Assert.Equal([Tag("scan-status", "infected"), Tag("scan-signature", "Sig")], merged.Skip(8));
    }

    [Fact]
    public void Ten_user_tags_leave_no_room_and_nothing_is_dropped_silently()
    {
        var existing = Enumerable.Range(0, 10).Select(i => Tag($"user{i}", "v")).ToList();

        var exception = Assert.Throws<InvalidOperationException>(() => VerdictTags.Merge(existing, [Tag("scan-status", "clean")], "scan-"));

        Assert.Contains("10 tags", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.4.6/27500", 27500)]
    [InlineData("ClamAV 1.4.6/1", 1)]
    [InlineData("1.4.6", null)]
    [InlineData("1.4.6/abc", null)]
    public void The_signature_version_is_read_back_from_the_engine_tag(string engine, int? expected) =>
        Assert.Equal(expected, VerdictTags.SignatureVersion([Tag("x", "y"), Tag("scan-engine", engine)], "scan-"));

    [Fact]
    public void Values_keep_to_the_characters_S3_allows()
    {
        Assert.Equal("Win.Trojan.Agent-123 _bad__ :/@+=", VerdictTags.Value("Win.Trojan.Agent-123 {bad}, :/@+="));
        Assert.Equal(256, VerdictTags.Value(new string('a', 300)).Length);
    }
}
