using System.Net;
using System.Net.Sockets;
using ScanWorker.Clamd;

namespace ScanWorker.Tests.Clamd;

public sealed class ClamdAddressTests
{
    [Theory]
    [InlineData("tcp://localhost:3310", "localhost", 3310)]
    [InlineData("tcp://127.0.0.1:3311", "127.0.0.1", 3311)]
    [InlineData("tcp://[::1]:3310", "::1", 3310)]
    [InlineData(" tcp://clamav.internal:3310 ", "clamav.internal", 3310)]
    public void Tcp_addresses_name_host_and_port(string text, string host, int port)
    {
        var address = ClamdAddress.Parse(text);

        Assert.False(address.IsUnixSocket);
        Assert.Equal(host, address.Host);
        Assert.Equal(port, address.Port);
    }

    [Theory]
    [InlineData("unix:///run/clamav/clamd.ctl", "/run/clamav/clamd.ctl")]
    [InlineData("/run/clamav/clamd.ctl", "/run/clamav/clamd.ctl")]
    [InlineData("unix:///tmp/with%20space.sock", "/tmp/with space.sock")]
    public void Unix_socket_addresses_name_a_path(string text, string path)
    {
        var address = ClamdAddress.Parse(text);

        Assert.True(address.IsUnixSocket);
        Assert.Equal(path, address.SocketPath);
        Assert.IsType<UnixDomainSocketEndPoint>(address.ToEndPoint());
    }

    [Fact]
    public void A_host_name_resolves_at_connect_time_and_an_ip_does_not()
    {
        Assert.IsType<DnsEndPoint>(ClamdAddress.Parse("tcp://localhost:3310").ToEndPoint());
        Assert.IsType<IPEndPoint>(ClamdAddress.Parse("tcp://127.0.0.1:3310").ToEndPoint());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tcp://localhost")]
    [InlineData("tcp://localhost:0")]
    [InlineData("tcp://localhost:3310/path")]
    [InlineData("http://localhost:3310")]
    [InlineData("localhost:3310")]
    [InlineData("unix://")]
    [InlineData("relative/clamd.sock")]
    public void Anything_else_is_rejected_with_a_message(string text)
    {
        Assert.False(ClamdAddress.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("tcp://localhost:3310")]
    [InlineData("unix:///run/clamav/clamd.ctl")]
    [InlineData("tcp://[::1]:3310")]
    public void Round_trips_through_its_text(string text)
    {
        Assert.Equal(text, ClamdAddress.Parse(text).ToString());
    }
}
