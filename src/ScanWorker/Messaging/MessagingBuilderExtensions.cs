using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Contracts;

namespace ScanWorker.Messaging;

public static class MessagingBuilderExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ, with the broker from section <c>RabbitMq</c> and the queue side from <c>Messaging</c>,
    /// receiving on the queues of <paramref name="useCases"/>.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder, IReadOnlyList<IReceiveEndpoints> useCases)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(useCases);
        builder.Services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MessagingOptions>, MessagingOptionsValidator>();
        if (!builder.Configuration.MessagingEnabled())
        {
            return builder;
        }

        builder.Services.AddOptions<RabbitMqTransportOptions>().BindConfiguration("RabbitMq");
        builder.Services.AddOptions<BrokerClusterOptions>().BindConfiguration("RabbitMq").ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BrokerClusterOptions>, BrokerClusterOptionsRules>();
        builder.Services.AddOptions<BrokerTlsOptions>().BindConfiguration("RabbitMq").ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BrokerTlsOptions>, BrokerTlsOptionsRules>();
        builder.Services.AddOptions<MassTransitHostOptions>().Configure<IOptions<MessagingOptions>>((host, messaging) =>
        {
            // Start serving HTTP even while the broker is still coming up; readiness reports the bus.
            host.WaitUntilStarted = false;
            // Nested deadlines, each outside the last: scans in flight get DrainTimeout; the bus then has 10 s more to
            // publish what finished and close the broker connection; the host 5 s beyond that for everything else.
            host.ConsumerStopTimeout = messaging.Value.DrainTimeout;
            host.StopTimeout = messaging.Value.DrainTimeout + TimeSpan.FromSeconds(10);
        });
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<MessagingOptions>>((host, messaging) =>
            host.ShutdownTimeout = messaging.Value.DrainTimeout + TimeSpan.FromSeconds(15));
        builder.Services.AddSingleton<UnreadableScanRequestObserver>();
        builder.Services.AddReceiveEndpointObserver<QueueTypeMismatchObserver>();
        builder.Services.AddSingleton<BrokerSession>();
        builder.Services.AddHostedService(services => services.GetRequiredService<BrokerSession>());
        builder.Services.AddBusObserver(services => services.GetRequiredService<BrokerSession>());
        builder.Services.AddReceiveEndpointObserver(services => services.GetRequiredService<BrokerSession>());
        builder.Services.AddHealthChecks().AddCheck<BrokerSessionHealthCheck>("broker", tags: ["ready"]);
        builder.Services.AddSingleton<ScanEndpointPause>();
        builder.Services.AddReceiveEndpointObserver(services => services.GetRequiredService<ScanEndpointPause>());
        builder.Services.AddSingleton<QueuedScans>();
        foreach (var useCase in useCases)
        {
            builder.Services.AddSingleton(useCase);
        }

        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit would report usage to an outside host at start; a scanner has no business calling out.
            bus.DisableUsageTelemetry();
            foreach (var useCase in useCases)
            {
                useCase.AddConsumers(bus);
            }

            bus.UsingRabbitMq((context, rabbit) =>
            {
                BrokerConnection.Configure(rabbit, context.GetRequiredService<IOptions<RabbitMqTransportOptions>>().Value,
                    context.GetRequiredService<IOptions<BrokerClusterOptions>>().Value,
                    context.GetRequiredService<IOptions<BrokerTlsOptions>>().Value,
                    context.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BrokerConnection)));
                rabbit.ConfigureJsonSerializerOptions(ContractJson.Lenient);
                // Declare the result exchanges at start, so subscribers can bind before the first result.
                rabbit.Publish<ScanClean>(_ => { });
                rabbit.Publish<ScanInfected>(_ => { });
                rabbit.Publish<ScanError>(_ => { });
                rabbit.DeployPublishTopology = true;
                rabbit.ConnectReceiveObserver(context.GetRequiredService<UnreadableScanRequestObserver>());
                foreach (var useCase in useCases)
                {
                    useCase.ConfigureEndpoints(rabbit, context);
                }

                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    /// <summary>Whether this worker consumes queues at all (Messaging:Enabled, on unless set to false).</summary>
    public static bool MessagingEnabled(this IConfiguration configuration) =>
        configuration.GetValue(MessagingOptions.SectionName + ":" + nameof(MessagingOptions.Enabled), true);
}
