namespace ScanWorker.Clamd;

/// <summary>Where a clamd operation was when it failed; part of every clamd exception.</summary>
public enum ClamdPhase
{
    Connect,
    SendCommand,
    ReadSource,
    SendStream,
    AwaitReply,
}
