namespace ScanWorker.Buckets;

/// <summary>Which verdicts are written onto the object as tags.</summary>
[Flags]
public enum TaggedVerdicts
{
    None = 0,
    Clean = 1,
    Infected = 2,
    Error = 4,
    All = Clean | Infected | Error,
}
