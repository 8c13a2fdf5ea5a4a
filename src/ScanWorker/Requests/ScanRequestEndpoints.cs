using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Messaging;

namespace ScanWorker.Requests;

/// <summary>
/// The scan-request queue (Messaging:ScanRequestsQueue): declared by MassTransit's conventions from
/// <see cref="ScanRequestedConsumerDefinition"/>.
/// </summary>
public sealed class ScanRequestEndpoints : IReceiveEndpoints
{
    public void AddConsumers(IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<ScanRequestedConsumer, ScanRequestedConsumerDefinition>();
    }

    public void ConfigureEndpoints(IRabbitMqBusFactoryConfigurator rabbit, IBusRegistrationContext context)
    {
    }

    public IEnumerable<string> QueuesThatScan(IServiceProvider services) =>
        [services.GetRequiredService<IOptions<MessagingOptions>>().Value.ScanRequestsQueue];
}
