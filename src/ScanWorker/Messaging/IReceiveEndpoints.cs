using MassTransit;

namespace ScanWorker.Messaging;

/// <summary>
/// The queues one use case brings to the bus (scan requests; bucket events). Messaging owns the bus, the broker session
/// and the policies every scan queue shares; a use case says what it consumes and where, and nothing here knows it.
/// </summary>
public interface IReceiveEndpoints
{
    /// <summary>Registers the use case's consumers (runs while the services are registered).</summary>
    void AddConsumers(IBusRegistrationConfigurator bus);

    /// <summary>Declares the receive endpoints MassTransit's conventions do not (runs when the bus is built).</summary>
    void ConfigureEndpoints(IRabbitMqBusFactoryConfigurator rabbit, IBusRegistrationContext context);

    /// <summary>The queues whose consumers need clamd: <see cref="ScanEndpointPause"/> stops them while clamd is down.</summary>
    IEnumerable<string> QueuesThatScan(IServiceProvider services);
}
