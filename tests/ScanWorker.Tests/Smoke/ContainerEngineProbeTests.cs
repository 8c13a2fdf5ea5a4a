using System.Net.Sockets;
using System.Text;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Smoke;

/// <summary>
/// The probe that decides between containers and processes: a missing socket, a socket that accepts and
/// never answers, and an engine that answers are told apart, each within the probe's bound.
/// </summary>
public sealed class ContainerEngineProbeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("scanworker-engine-probe-").FullName;

    [Fact(Timeout = 30_000)]
    public async Task A_missing_socket_is_no_engine()
    {
        var why = await ContainerEngine.WhyNotAsync($"unix://{_dir}/absent.sock", TimeSpan.FromSeconds(2));
        Assert.Contains("no engine socket", why);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_socket_that_never_answers_is_no_engine_within_the_bound()
    {
        using var listener = Listen(out var path);
        var why = await ContainerEngine.WhyNotAsync($"unix://{path}", TimeSpan.FromMilliseconds(500));
        Assert.Contains("did not answer", why);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_engine_that_answers_ping_is_an_engine()
    {
        using var listener = Listen(out var path);
        var serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptAsync(TestContext.Current.CancellationToken);
            var buffer = new byte[4096];
            _ = await client.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
            await client.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK"),
                TestContext.Current.CancellationToken);
        }, TestContext.Current.CancellationToken);
        Assert.Null(await ContainerEngine.WhyNotAsync($"unix://{path}", TimeSpan.FromSeconds(5)));
        await serve;
    }

    [Fact(Timeout = 30_000)]
    public async Task Other_schemes_are_named_not_probed() =>
        Assert.Contains("scheme", await ContainerEngine.WhyNotAsync("npipe://./pipe/docker_engine", TimeSpan.FromSeconds(1)));

    [Fact]
    public void Server_modes_parse_and_a_typo_fails_loudly()
    {
        Assert.Equal(ServerMode.Auto, ServerModes.Parse(null));
        Assert.Equal(ServerMode.Containers, ServerModes.Parse("containers"));
        Assert.Equal(ServerMode.Processes, ServerModes.Parse("processes"));
        Assert.Contains("expected auto, containers or processes", Assert.Throws<InvalidOperationException>(() => ServerModes.Parse("container")).Message);
    }

    private Socket Listen(out string path)
    {
        path = Path.Combine(_dir, $"{Guid.NewGuid():N}"[..8] + ".sock");
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen(4);
        return socket;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
