using System.Globalization;
using MassTransit;
using ScanWorker.Contracts;
using ScanWorker.Messaging;

namespace ScanWorker.Bench;

/// <summary>
/// The queue path's floor (issue 23): what MassTransit and RabbitMQ.Client cost per message on this machine with nothing
/// scanned. The request queue is received exactly as the worker receives it (<see cref="ScanQueuePolicy"/>: quorum, raw
/// JSON, the retry filter, the worker's default concurrency and prefetch), each request is answered with a result
/// event of the worker's shape, published with a confirm, and acked. Nothing opens a file or talks to clamd: the
/// verdict comes from the target's name (the bench names its EICAR object <c>eicar.com</c>), so the bench's checks
/// still hold. Run by <c>ScanWorker.Bench queue floor mount ...</c> (<c>E2E_PATHS=floor</c> in bench/e2e.sh), never a
/// scanner.
/// </summary>
internal sealed class FloorConsumer : IConsumer<ScanRequested>
{
    private static readonly string Digest = new('0', 64);

    public async Task Consume(ConsumeContext<ScanRequested> context)
    {
        var request = context.Message;
        var target = request.Target ?? new ScanTarget();
        var infected = target.Path?.EndsWith("eicar.com", StringComparison.Ordinal) == true;
        var now = DateTimeOffset.UtcNow;
        if (infected)
        {
            await context.Publish(new ScanInfected
            {
                ScanId = request.ScanId, Target = target, Metadata = request.Metadata, CompletedAt = now, ElapsedMs = 1,
                ScannedBytes = 68, Sha256 = Digest, ClamAvVersion = "1.4.6", SignatureVersion = 27000,
                SignatureDate = now, Signatures = ["Eicar-Test-Signature"],
            }, context.CancellationToken);
            return;
        }

        await context.Publish(new ScanClean
        {
            ScanId = request.ScanId, Target = target, Metadata = request.Metadata, CompletedAt = now, ElapsedMs = 1,
            ScannedBytes = 4096, Sha256 = Digest, ClamAvVersion = "1.4.6", SignatureVersion = 27000, SignatureDate = now,
        }, context.CancellationToken);
    }

    /// <summary>
    /// <c>ScanWorker.Bench floor-consumer</c>: consumes <c>Messaging__ScanRequestsQueue</c> on the broker of
    /// <c>RabbitMq__Host</c>/<c>RabbitMq__Port</c> until killed.
    /// </summary>
    public static async Task RunAsync()
    {
        var host = Environment.GetEnvironmentVariable("RabbitMq__Host") ?? "127.0.0.1";
        var port = ushort.Parse(Environment.GetEnvironmentVariable("RabbitMq__Port") ?? "5672", CultureInfo.InvariantCulture);
        var options = new MessagingOptions
        {
            ScanRequestsQueue = Environment.GetEnvironmentVariable("Messaging__ScanRequestsQueue") ?? "scan-requests",
        };
        // The worker's default: twice clamd's four slots (ScanQueuePolicy.LiveConcurrency on a mount-only worker).
        const int concurrency = 8;
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(host, port, "/", h =>
            {
                h.Username("guest");
                h.Password("guest");
            });
            rabbit.ConfigureJsonSerializerOptions(ContractJson.Lenient);
            rabbit.ReceiveEndpoint(options.ScanRequestsQueue, endpoint =>
            {
                ScanQueuePolicy.Configure(endpoint, options, concurrency);
                endpoint.Consumer<FloorConsumer>();
            });
        });
        await bus.StartAsync();
        await Task.Delay(Timeout.Infinite);
    }
}
