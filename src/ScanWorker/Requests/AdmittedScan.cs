using ScanWorker.Contracts;
using ScanWorker.Scanning;

namespace ScanWorker.Requests;

/// <summary>
/// A queued scan after its one validation (<see cref="ScanRequestRules.Admit"/>): either the kind of target to
/// scan, or why it is refused. <see cref="Request"/> is what the result echoes (metadata over the cap is dropped).
/// </summary>
public sealed record AdmittedScan(ScanRequested Request, ScanTargetKind? Kind, string? Problem)
{
    /// <summary>The source label of logs and metrics: <c>s3</c>, <c>mount</c>, or <c>invalid</c>.</summary>
    public string SourceLabel => Kind switch
    {
        ScanTargetKind.S3 => "s3",
        ScanTargetKind.Mount => "mount",
        _ => "invalid",
    };
}
