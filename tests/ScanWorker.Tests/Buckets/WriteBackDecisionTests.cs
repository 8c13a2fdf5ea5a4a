using ScanWorker.Buckets;
using ScanWorker.Contracts;
using ScanWorker.Scanning;

namespace ScanWorker.Tests.Buckets;

/// <summary>Which write-back follows from verdict × settings × where the object is, as a table; no S3 involved.</summary>
public sealed class WriteBackDecisionTests
{
    public static TheoryData<ScanVerdict, ScanErrorReason?, InfectedAction, TaggedVerdicts, string, string> Table => new()
    {
        // verdict, reason, infected action, tagged verdicts, key, expected
        { ScanVerdict.Clean, null, InfectedAction.Leave, TaggedVerdicts.All, "uploads/a.pdf", "tag" },
        { ScanVerdict.Clean, null, InfectedAction.Quarantine, TaggedVerdicts.Infected, "uploads/a.pdf", "none" },
        { ScanVerdict.Clean, null, InfectedAction.Delete, TaggedVerdicts.None, "uploads/a.pdf", "none" },
        { ScanVerdict.Infected, null, InfectedAction.Leave, TaggedVerdicts.All, "uploads/a.pdf", "tag" },
        { ScanVerdict.Infected, null, InfectedAction.Leave, TaggedVerdicts.Clean, "uploads/a.pdf", "none" },
        { ScanVerdict.Infected, null, InfectedAction.Delete, TaggedVerdicts.All, "uploads/a.pdf", "delete" },
        { ScanVerdict.Infected, null, InfectedAction.Delete, TaggedVerdicts.None, "uploads/a.pdf", "delete" },
        { ScanVerdict.Infected, null, InfectedAction.Quarantine, TaggedVerdicts.None, "uploads/a.pdf", "quarantine uploads:quarantine/uploads/uploads/a.pdf" },
        // An infected object already inside the quarantine location is tagged where it is, never moved again.
        { ScanVerdict.Infected, null, InfectedAction.Quarantine, TaggedVerdicts.None, "quarantine/uploads/a.pdf", "tag" },
        { ScanVerdict.Infected, null, InfectedAction.Delete, TaggedVerdicts.None, "quarantine/uploads/a.pdf", "tag" },
        { ScanVerdict.Error, ScanErrorReason.ScannerError, InfectedAction.Quarantine, TaggedVerdicts.All, "uploads/a.pdf", "tag" },
        { ScanVerdict.Error, ScanErrorReason.TooLarge, InfectedAction.Delete, TaggedVerdicts.Error, "uploads/a.pdf", "tag" },
        { ScanVerdict.Error, ScanErrorReason.TooLarge, InfectedAction.Delete, TaggedVerdicts.Clean, "uploads/a.pdf", "none" },
        // No scanned object to write onto: gone, replaced, never readable. Logged, whatever the settings say.
        { ScanVerdict.Error, ScanErrorReason.NotFound, InfectedAction.Quarantine, TaggedVerdicts.All, "uploads/a.pdf", "none: NotFound" },
        { ScanVerdict.Error, ScanErrorReason.Changed, InfectedAction.Delete, TaggedVerdicts.All, "uploads/a.pdf", "none: Changed" },
        { ScanVerdict.Error, ScanErrorReason.AccessDenied, InfectedAction.Leave, TaggedVerdicts.All, "uploads/a.pdf", "none: AccessDenied" },
        { ScanVerdict.Error, ScanErrorReason.InvalidRequest, InfectedAction.Leave, TaggedVerdicts.All, "", "none: InvalidRequest" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void A_verdict_leads_to_one_write_back(ScanVerdict verdict, ScanErrorReason? reason, InfectedAction infectedAction,
        TaggedVerdicts tagged, string key, string expected)
    {
        var settings = new BucketEventsOptions { InfectedAction = infectedAction, TagVerdicts = tagged, QuarantinePrefix = "quarantine/" };

        var action = WriteBackDecision.For(verdict, reason, "uploads", key, settings);

        Assert.Equal(expected, Describe(action));
    }

    [Theory]
    [InlineData(ScanVerdict.Clean, "", "clean/", "uploads/a.pdf", "promote uploads:clean/uploads/a.pdf")]
    [InlineData(ScanVerdict.Clean, "readers", "", "uploads/a.pdf", "promote readers:uploads/a.pdf")]
    [InlineData(ScanVerdict.Clean, "", "clean/", "clean/uploads/a.pdf", "tag")]
    [InlineData(ScanVerdict.Infected, "readers", "", "uploads/a.pdf", "quarantine uploads:quarantine/uploads/uploads/a.pdf")]
    [InlineData(ScanVerdict.Error, "readers", "", "uploads/a.pdf", "tag")]
    public void Promotion_moves_clean_objects_only_and_never_one_already_in_the_clean_place(ScanVerdict verdict, string cleanBucket,
        string cleanPrefix, string key, string expected)
    {
        var settings = new BucketEventsOptions
        {
            CleanAction = CleanAction.Promote, CleanBucket = cleanBucket, CleanPrefix = cleanPrefix, InfectedAction = InfectedAction.Quarantine,
        };

        var action = WriteBackDecision.For(verdict, verdict == ScanVerdict.Error ? ScanErrorReason.ScannerError : null, "uploads", key, settings);

        Assert.Equal(expected, Describe(action));
    }

    [Fact]
    public void A_quarantine_bucket_of_its_own_takes_the_copy_and_its_objects_are_not_moved_again()
    {
        var settings = new BucketEventsOptions { InfectedAction = InfectedAction.Quarantine, QuarantineBucket = "jail", QuarantinePrefix = "" };

        Assert.Equal("quarantine jail:uploads/a.pdf", Describe(WriteBackDecision.For(ScanVerdict.Infected, null, "uploads", "a.pdf", settings)));
        Assert.Equal("tag", Describe(WriteBackDecision.For(ScanVerdict.Infected, null, "jail", "uploads/a.pdf", settings)));
    }

    private static string Describe(WriteBackAction action) => action switch
    {
        WriteBackAction.LeaveAlone { Why: null } => "none",
        WriteBackAction.LeaveAlone { Why: { } why } => "none: " + why.Split(' ')[3].TrimEnd(','),
        WriteBackAction.Quarantine quarantine => $"quarantine {quarantine.Bucket}:{quarantine.Key}",
        WriteBackAction.Promote promotion => $"promote {promotion.Bucket}:{promotion.Key}",
        _ => action.Name,
    };
}
