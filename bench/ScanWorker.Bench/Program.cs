using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScanWorker.Clamd;
using ScanWorker.Tests.Infrastructure;

// Usage: ScanWorker.Bench <clamd address> [large MB] [small count] [concurrency]
// Prints one Markdown table row per scenario, so results paste into bench/RESULTS.md.
var address = args.Length > 0 ? args[0] : "tcp://127.0.0.1:3312";
var largeMb = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
var smallCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2000;
var concurrency = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 4;

var options = Options.Create(new ClamdOptions { Address = address, MaxConcurrentScans = concurrency });
using var slots = new ClamdScanSlots(options, NullLogger<ClamdScanSlots>.Instance);
var clamd = new ClamdClient(options, slots, TimeProvider.System);
var version = await clamd.GetVersionAsync(CancellationToken.None);
Console.WriteLine($"clamd {version.Raw} at {address}; {Environment.ProcessorCount} cores; .NET {Environment.Version}");
Console.WriteLine();
Console.WriteLine("| scenario | scans | bytes | wall time | throughput | client allocations |");
Console.WriteLine("|---|---|---|---|---|---|");

await Measure($"one {largeMb} MB stream", 1, largeMb * 1_000_000L, 1);
await Measure($"{smallCount} x 16 KiB, {concurrency} in flight", smallCount, 16 * 1024, concurrency);
await Measure($"{smallCount / 10} x 1 MiB, {concurrency} in flight", smallCount / 10, 1024 * 1024, concurrency);

async Task Measure(string name, int scans, long bytesEach, int parallel)
{
    await ScanOne(64 * 1024); // warm-up: JIT and connection paths
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var clock = Stopwatch.StartNew();
    await Parallel.ForAsync(0, scans, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (_, ct) =>
    {
        var result = await ScanOne(bytesEach, ct);
        if (result.Reply is not ClamdReply.Clean)
        {
            throw new InvalidOperationException($"unexpected reply {result.Reply.Raw}");
        }
    });
    clock.Stop();
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    var total = scans * bytesEach;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {scans} | {total / 1e6:N0} MB | {clock.Elapsed.TotalSeconds:N2} s | " +
        $"{total / 1e6 / clock.Elapsed.TotalSeconds:N0} MB/s, {scans / clock.Elapsed.TotalSeconds:N0} scans/s | " +
        $"{allocated / 1024.0:N0} KiB ({allocated / (double)scans / 1024:N1} KiB per scan) |"));
}

async Task<ClamdScanResult> ScanOne(long length, CancellationToken cancellationToken = default)
{
    await using var content = new PatternStream(length);
    return await clamd.ScanAsync(content, cancellationToken);
}
