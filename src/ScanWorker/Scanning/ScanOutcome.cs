using ScanWorker.Clamd;
using ScanWorker.Contracts;

namespace ScanWorker.Scanning;

/// <summary>The verdict on one object, before it becomes a result event.</summary>
public sealed record ScanOutcome
{
    public required ScanVerdict Verdict { get; init; }

    /// <summary>For <see cref="ScanVerdict.Infected"/>: the signature names.</summary>
    public IReadOnlyList<string> Signatures { get; init; } = [];

    /// <summary>For <see cref="ScanVerdict.Error"/>: why.</summary>
    public ScanErrorReason? Reason { get; init; }

    public string Detail { get; init; } = string.Empty;

    /// <summary>For <see cref="ScanVerdict.Error"/>: a retry may succeed.</summary>
    public bool Transient { get; init; }

    public long ScannedBytes { get; init; }

    /// <summary>SHA-256 of the content, only when the whole object was streamed.</summary>
    public string? Sha256 { get; init; }

    public ClamdVersion? Engine { get; init; }

    /// <summary>clamd's typed answer, when it gave one; front ends that echo clamd's words (REST) read it.</summary>
    public ClamdReply? Reply { get; init; }

    /// <summary>The verdict as metrics and tallies label it: <c>clean</c>, <c>infected</c> or <c>error</c>.</summary>
    public string ResultLabel => Verdict switch
    {
        ScanVerdict.Clean => "clean",
        ScanVerdict.Infected => "infected",
        _ => "error",
    };

    public static ScanOutcome Error(ScanErrorReason reason, string detail, bool transient = false) =>
        new() { Verdict = ScanVerdict.Error, Reason = reason, Detail = detail, Transient = transient };
}
