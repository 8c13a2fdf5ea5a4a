using Testcontainers.RabbitMq;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>
/// The tests' broker from <c>Testcontainers.RabbitMq</c>: the stock <see cref="RabbitMqBuilder"/>, with the
/// image and, where the engine needs one, the network mode from the environment
/// (<c>SCANWORKER_TEST_RABBITMQ_IMAGE</c>, <c>SCANWORKER_TEST_CONTAINER_NETWORK</c>; docs/testing.md, "Tests on containers").
/// </summary>
internal sealed class RabbitMqContainerBroker : IAsyncDisposable
{
    /// <summary>Testcontainers' own default; CI here names a locally built image instead (no registry).</summary>
    public const string DefaultImage = "rabbitmq:3.11";

    // Not "guest": RabbitMQ lets guest in from loopback only, and a port mapping is not loopback inside.
    private const string User = "scanworker";
    private const string Password = "scanworker";

    private readonly RabbitMqContainer _container;

    private RabbitMqContainerBroker(RabbitMqContainer container, string image, string? network)
    {
        _container = container;
        Image = image;
        Network = network;
    }

    public string Image { get; }

    public string? Network { get; }

    public RabbitMqServer Server => new(new Uri(_container.GetConnectionString()));

    public static async Task<RabbitMqContainerBroker> StartAsync(CancellationToken cancellationToken)
    {
        var image = Environment.GetEnvironmentVariable("SCANWORKER_TEST_RABBITMQ_IMAGE") is { Length: > 0 } named ? named : DefaultImage;
        var network = Environment.GetEnvironmentVariable("SCANWORKER_TEST_CONTAINER_NETWORK") is { Length: > 0 } mode ? mode : null;
        var builder = new RabbitMqBuilder(image).WithUsername(User).WithPassword(Password);
        if (network is not null)
        {
            // podman's Docker API ignores its configured default network and would pick its bridge.
            builder = builder.WithCreateParameterModifier(parameters =>
            {
                parameters.HostConfig ??= new();
                parameters.HostConfig.NetworkMode = network;
            });
        }

        var container = builder.Build();
        try
        {
            await container.StartAsync(cancellationToken);
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }

        return new RabbitMqContainerBroker(container, image, network);
    }

    /// <summary>A fresh virtual host with full rights for the broker's user, made inside the container.</summary>
    public async Task<RabbitMqServer> CreateVirtualHostAsync(string vhost, CancellationToken cancellationToken)
    {
        await RunAsync(["rabbitmqctl", "-q", "add_vhost", vhost], cancellationToken);
        await RunAsync(["rabbitmqctl", "-q", "set_permissions", "-p", vhost, User, ".*", ".*", ".*"], cancellationToken);
        return new RabbitMqServer(new Uri(Server.Amqp, Uri.EscapeDataString(vhost)));
    }

    public async Task CreateUserAsync(string user, string password, string vhost, CancellationToken cancellationToken)
    {
        await RunAsync(["rabbitmqctl", "-q", "add_user", user, password], cancellationToken);
        await RunAsync(["rabbitmqctl", "-q", "set_permissions", "-p", vhost, user, ".*", ".*", ".*"], cancellationToken);
    }

    private async Task RunAsync(IList<string> command, CancellationToken cancellationToken)
    {
        var result = await _container.ExecAsync(command, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} exited {result.ExitCode} in the broker container: {result.Stderr}{result.Stdout}");
        }
    }

    public ValueTask DisposeAsync() => _container.DisposeAsync();
}
