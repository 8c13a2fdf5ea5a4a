namespace ScanWorker.Buckets;

/// <summary>What a published verdict does to the scanned object (<see cref="WriteBackDecision"/> chooses it).</summary>
public abstract record WriteBackAction
{
    private WriteBackAction()
    {
    }

    /// <summary>The action's label in logs and in <c>scanworker_write_backs_total</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Leave the object alone; <see cref="Why"/>, when set, is logged as a skipped write-back.</summary>
    public sealed record LeaveAlone(string? Why) : WriteBackAction
    {
        public override string Name => "none";
    }

    /// <summary>Replace the scanner's tags on the object with the verdict's, keeping the user's own tags.</summary>
    public sealed record Tag : WriteBackAction
    {
        public override string Name => "tag";
    }

    /// <summary>Delete the object (the scanned version of it).</summary>
    public sealed record Delete : WriteBackAction
    {
        public override string Name => "delete";
    }

    /// <summary>Copy the object to <see cref="Bucket"/>/<see cref="Key"/>, tag the copy, delete the original.</summary>
    public sealed record Quarantine(string Bucket, string Key) : WriteBackAction
    {
        public override string Name => "quarantine";
    }

    /// <summary>
    /// Copy the scanned version of the clean object to <see cref="Bucket"/>/<see cref="Key"/>, where readers look, tag the
    /// copy, and remove the original from where it was uploaded.
    /// </summary>
    public sealed record Promote(string Bucket, string Key) : WriteBackAction
    {
        public override string Name => "promote";
    }
}
