// Ask ScanWorker for a scan with MassTransit and print the result event.
//
//   dotnet run -- PATH          a file relative to the worker's mount root
//   dotnet run -- BUCKET KEY    an S3 object
//
// Environment: AMQP_URL (amqp://guest:guest@127.0.0.1:5673/), SCAN_QUEUE (scan-requests), RESULT_TIMEOUT seconds (60).
// Exit status like clamdscan: 0 clean, 1 infected, 2 error or no result.
using System.Text.Json;
using MassTransit;
using ScanWorker.Contracts;

ScanTarget? target = args.Length switch
{
    1 => new ScanTarget { Path = args[0] },
    2 => new ScanTarget { Bucket = args[0], Key = args[1] },
    _ => null,
};
if (target is null)
{
    Console.Error.WriteLine("usage: ScanRequestProducer PATH | BUCKET KEY");
    return 2;
}

var url = new Uri(Environment.GetEnvironmentVariable("AMQP_URL") ?? "amqp://guest:guest@127.0.0.1:5673/");
var queue = Environment.GetEnvironmentVariable("SCAN_QUEUE") ?? "scan-requests";
var timeout = TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("RESULT_TIMEOUT") ?? "60", System.Globalization.CultureInfo.InvariantCulture));
var scanId = NewId.NextGuid();
var result = new TaskCompletionSource<(string Kind, object Message)>(TaskCreationOptions.RunContinuationsAsynchronously);

var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
{
    cfg.Host(url);
    // A temporary queue bound to the three result exchanges; this request's result is picked by its scanId.
    cfg.ReceiveEndpoint(new TemporaryEndpointDefinition(), endpoint =>
    {
        endpoint.Handler<ScanClean>(context => Take(context.Message));
        endpoint.Handler<ScanInfected>(context => Take(context.Message));
        endpoint.Handler<ScanError>(context => Take(context.Message));
    });
});

await bus.StartAsync();
try
{
    // Send through the queue's exchange: "queue:" would make MassTransit declare the worker's quorum queue again.
    var endpoint = await bus.GetSendEndpoint(new Uri($"exchange:{queue}"));
    await endpoint.Send(new ScanRequested
    {
        ScanId = scanId,
        Target = target,
        Metadata = new Dictionary<string, string> { ["producer"] = "ScanRequestProducer" },
        RequestedAt = DateTimeOffset.UtcNow,
    });

    var (kind, message) = await result.Task.WaitAsync(timeout);
    Console.WriteLine(kind);
    Console.WriteLine(JsonSerializer.Serialize(message, message.GetType(), new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
    return kind switch { nameof(ScanClean) => 0, nameof(ScanInfected) => 1, _ => 2 };
}
catch (TimeoutException)
{
    Console.Error.WriteLine($"no result for {scanId} within {timeout.TotalSeconds:F0} s");
    return 2;
}
finally
{
    await bus.StopAsync();
}

Task Take<T>(T message)
    where T : class, ScanCompleted
{
    if (message.ScanId == scanId)
    {
        result.TrySetResult((typeof(T).Name, message));
    }

    return Task.CompletedTask;
}
