namespace ScanWorker.Http;

/// <summary>Where the cleartext HTTP port listens (<see cref="HttpOptions.Cleartext"/>).</summary>
public enum CleartextMode
{
    On,
    Loopback,
    Off,
}
