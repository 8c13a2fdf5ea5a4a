namespace ScanWorker.Buckets;

/// <summary>
/// The highest signature version this worker turned into rescans (<see cref="SignatureUpdateConsumer"/>), kept while it
/// holds the signature-updates queue. A worker that takes the queue over starts at 0 and may rescan a version again,
/// which the rescan's own filter (only verdicts older than the version) makes cheap.
/// </summary>
public sealed class SignatureVersionHandled
{
    private int _version;

    public int Version
    {
        get => Volatile.Read(ref _version);
        set => Volatile.Write(ref _version, value);
    }
}
