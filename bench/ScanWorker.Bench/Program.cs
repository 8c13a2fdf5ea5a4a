using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScanWorker.Clamd;
using ScanWorker.Hosting;
using ScanWorker.Tests.Infrastructure;

// Usage: ScanWorker.Bench <clamd address> [large MB] [small count] [concurrency]
//        ScanWorker.Bench queue <amqp> <clamd> <ScanWorker.dll> <mount|s3> <size bytes> <count> [s3 url]   (bench/e2e.sh)
//        ScanWorker.Bench queue-cold ... (the same arguments): a fresh worker, no warm-up; prints the cold row's cells
//        ScanWorker.Bench queue <amqp> <clamd> floor mount <size> <count>: the same row with FloorConsumer, which scans nothing
//        ScanWorker.Bench floor-consumer   (started by the line above)
// The first form prints one Markdown table row per scenario, so results paste into bench/RESULTS.md; the queue form
// prints "<scans/s> | <CPU cells>", from which bench/e2e.sh makes its row.
if (args.Length > 0 && args[0] == "floor-consumer")
{
    await ScanWorker.Bench.FloorConsumer.RunAsync();
    return;
}

if (args.Length > 0 && args[0] is "queue" or "queue-cold")
{
    await ScanWorker.Bench.QueueScenario.RunAsync(args[1..], cold: args[0] == "queue-cold");
    return;
}

var address = args.Length > 0 ? args[0] : "tcp://127.0.0.1:3312";
var largeMb = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
var smallCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2000;
var concurrency = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 4;

var options = Options.Create(new ClamdOptions { Address = address, MaxConcurrentScans = concurrency });
using var slots = new ClamdScanSlots(options, NullLogger<ClamdScanSlots>.Instance);
using var clamd = new ClamdClient(options, slots, TimeProvider.System);
var version = await clamd.GetVersionAsync(CancellationToken.None);
Console.WriteLine($"clamd {version.Raw} at {address}; {Environment.ProcessorCount} cores; .NET {Environment.Version}");
Console.WriteLine();
Console.WriteLine("| scenario | scans | bytes | wall time | throughput | allocations (whole process) |");
Console.WriteLine("|---|---|---|---|---|---|");

// The clamd client alone.
await Measure($"client: one {largeMb} MB stream", 1, largeMb * 1_000_000L, 1, ScanDirect);
await Measure($"client: {smallCount} x 16 KiB, {concurrency} in flight", smallCount, 16 * 1024, concurrency, ScanDirect);
await Measure($"client: {smallCount / 10} x 1 MiB, {concurrency} in flight", smallCount / 10, 1024 * 1024, concurrency, ScanDirect);

// The REST facade on real Kestrel: HTTP upload -> multipart streaming -> clamd.
await using var app = StartFacade(address, concurrency, largeMb);
await app.StartAsync();
var baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(10) };
await Measure($"REST /v2/scan: one {largeMb} MB upload", 1, largeMb * 1_000_000L, 1, Upload);
await Measure($"REST /v2/scan: {smallCount} x 16 KiB, {concurrency} in flight", smallCount, 16 * 1024, concurrency, Upload);
await app.StopAsync();

async Task Measure(string name, int scans, long bytesEach, int parallel, Func<long, CancellationToken, Task> scan)
{
    await scan(64 * 1024, CancellationToken.None); // warm-up: JIT and connection paths
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var clock = Stopwatch.StartNew();
    await Parallel.ForAsync(0, scans, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (_, ct) => await scan(bytesEach, ct));
    clock.Stop();
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    var total = scans * bytesEach;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {scans} | {total / 1e6:N0} MB | {clock.Elapsed.TotalSeconds:N2} s | " +
        $"{total / 1e6 / clock.Elapsed.TotalSeconds:N0} MB/s, {scans / clock.Elapsed.TotalSeconds:N0} scans/s | " +
        $"{allocated / 1024.0:N0} KiB ({allocated / (double)scans / 1024:N1} KiB per scan) |"));
}

async Task ScanDirect(long length, CancellationToken cancellationToken)
{
    await using var content = new PatternStream(length);
    var result = await clamd.ScanAsync(content, cancellationToken);
    if (result.Reply is not ClamdReply.Clean)
    {
        throw new InvalidOperationException($"unexpected reply {result.Reply.Raw}");
    }
}

async Task Upload(long length, CancellationToken cancellationToken)
{
    await using var pattern = new PatternStream(length);
    using var file = new StreamContent(pattern, 64 * 1024);
    using var form = new MultipartFormDataContent { { file, "file", "bench.bin" } };
    using var response = await http.PostAsync("/v2/scan", form, cancellationToken);
    if (response.StatusCode != System.Net.HttpStatusCode.OK)
    {
        throw new InvalidOperationException($"unexpected answer {response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }
}

static WebApplication StartFacade(string clamdAddress, int concurrency, int largeMb)
{
    var builder = WebApplication.CreateBuilder();
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["Messaging:Enabled"] = "false",
        ["Clamd:Address"] = clamdAddress,
        ["Clamd:MaxConcurrentScans"] = concurrency.ToString(CultureInfo.InvariantCulture),
        ["Http:BindAddress"] = "127.0.0.1",
        ["Http:Port"] = "0",
        ["Http:SslPort"] = "0",
        ["Http:MaxFileSize"] = ((largeMb + 10) * 1_000_000L).ToString(CultureInfo.InvariantCulture),
    });
    builder.AddScanWorker();
    var app = builder.Build();
    app.MapScanWorkerEndpoints();
    return app;
}
