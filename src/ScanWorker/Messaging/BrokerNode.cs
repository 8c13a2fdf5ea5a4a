using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ScanWorker.Messaging;

/// <summary>One RabbitMQ cluster node as configured: <c>host</c>, <c>host:port</c> or <c>[v6-address]:port</c>.</summary>
public sealed record BrokerNode(string Host, ushort Port)
{
    /// <summary>Parses one entry of <c>RabbitMq:Nodes</c>; a missing port is <paramref name="defaultPort"/>.</summary>
    public static bool TryParse(string? text, ushort defaultPort, [NotNullWhen(true)] out BrokerNode? node)
    {
        node = null;
        if (string.IsNullOrWhiteSpace(text) || text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '@' or '?' or '#'))
        {
            return false;
        }

        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 2 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                return false;
            }

            host = text[1..close];
            port = close + 1 < text.Length ? text[(close + 2)..] : null;
        }
        else
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon != text.LastIndexOf(':'))
            {
                return false; // a bare IPv6 address: ambiguous without brackets
            }

            host = colon < 0 ? text : text[..colon];
            port = colon < 0 ? null : text[(colon + 1)..];
        }

        if (host.Length == 0 || host.Contains('[', StringComparison.Ordinal) || host.Contains(']', StringComparison.Ordinal))
        {
            return false;
        }

        var number = defaultPort;
        if (port is not null && (!ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number == 0))
        {
            return false;
        }

        node = new BrokerNode(host, number);
        return true;
    }

    /// <summary>As RabbitMQ.Client's endpoint parser reads it (brackets around an IPv6 address).</summary>
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}" : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
