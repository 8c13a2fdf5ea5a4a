using ScanWorker.Fuzz;
using SharpFuzz;

// ScanWorker.Fuzz <target>            : run under afl-fuzz (fuzz/run.sh)
// ScanWorker.Fuzz <target> <file>...  : run these inputs once (reproduce a crash)
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: ScanWorker.Fuzz <{string.Join('|', FuzzTargets.All.Keys)}> [input files]");
    return 2;
}

if (args.Length > 1)
{
    foreach (var file in args.Skip(1))
    {
        target(File.ReadAllBytes(file));
    }

    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;
