namespace ScanWorker.Buckets;

/// <summary>What happens to an object found infected, after the result is published.</summary>
public enum InfectedAction
{
    /// <summary>Leave it where it is (tagged, when tagging is on); a bucket policy keeps it unreadable.</summary>
    Leave,

    /// <summary>Delete the scanned version.</summary>
    Delete,

    /// <summary>Copy it server-side to the quarantine location, then delete the original.</summary>
    Quarantine,
}
