using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace ScanWorker.Clamd;

/// <summary>
/// Where clamd listens, in the forms clamav-rest's <c>CLAMD_PORT</c> accepts:
/// <c>tcp://host:port</c>, <c>unix:///path/to/clamd.sock</c>, or a bare socket path.
/// </summary>
public sealed record ClamdAddress
{
    private ClamdAddress(string? host, int port, string? socketPath)
    {
        Host = host;
        Port = port;
        SocketPath = socketPath;
    }

    /// <summary>TCP host name or address; null for a unix socket.</summary>
    public string? Host { get; }

    /// <summary>TCP port; 0 for a unix socket.</summary>
    public int Port { get; }

    /// <summary>Unix socket path; null for TCP.</summary>
    public string? SocketPath { get; }

    [MemberNotNullWhen(true, nameof(SocketPath))]
    [MemberNotNullWhen(false, nameof(Host))]
    public bool IsUnixSocket => SocketPath is not null;

    public static ClamdAddress Tcp(string host, int port) => new(host, port, null);

    public static ClamdAddress Unix(string socketPath) => new(null, 0, socketPath);

    public static ClamdAddress Parse(string value) =>
        TryParse(value, out var address, out var error) ? address : throw new FormatException(error);

    public static bool TryParse(string? value, [NotNullWhen(true)] out ClamdAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        value = value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            error = "the clamd address is empty; expected tcp://host:port, unix:///path or a socket path";
            return false;
        }

        if (value.StartsWith('/'))
        {
            address = Unix(value);
            error = null;
            return true;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            error = $"'{value}' is not a clamd address; expected tcp://host:port, unix:///path or a socket path";
            return false;
        }

        switch (uri.Scheme)
        {
            case "unix" when uri.AbsolutePath.Length > 1 && string.IsNullOrEmpty(uri.Host):
                address = Unix(Uri.UnescapeDataString(uri.AbsolutePath));
                error = null;
                return true;
            case "tcp" when !string.IsNullOrEmpty(uri.Host) && uri.Port is > 0 and <= 65535 && uri.AbsolutePath is "/" or "":
                address = Tcp(uri.IdnHost.Trim('[', ']'), uri.Port);
                error = null;
                return true;
            default:
                error = $"'{value}' is not a clamd address; expected tcp://host:port (with a port), unix:///path or a socket path";
                return false;
        }
    }

    internal EndPoint ToEndPoint() => IsUnixSocket
        ? new UnixDomainSocketEndPoint(SocketPath)
        : IPAddress.TryParse(Host, out var ip) ? new IPEndPoint(ip, Port) : new DnsEndPoint(Host, Port);

    internal Socket CreateSocket() => IsUnixSocket
        ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    public override string ToString() => IsUnixSocket ? $"unix://{SocketPath}" : $"tcp://{FormatHost(Host)}:{Port}";

    private static string FormatHost(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
}
