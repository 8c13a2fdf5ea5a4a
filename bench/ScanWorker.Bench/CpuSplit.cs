using System.Diagnostics;
using System.Globalization;

namespace ScanWorker.Bench;

/// <summary>
/// The queue rows' CPU split, taken by the same script as the raw and REST rows (<c>bench/cpu.sh</c>), so every row
/// of the table is measured one way: the worker, clamd (<c>E2E_CLAMD_PID</c>), the broker (<c>E2E_BROKER_PID</c>) and,
/// for S3 rows, the S3 server (<c>E2E_STORE_PIDS</c>, its processes joined by commas).
/// </summary>
internal static class CpuSplit
{
    // artifacts/bin/ScanWorker.Bench/release/ -> bench/cpu.sh
    private static readonly string Script = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../bench/cpu.sh"));

    public static string Sample(int workerPid) => Run("sample", workerPid.ToString(CultureInfo.InvariantCulture),
        Environment.GetEnvironmentVariable("E2E_CLAMD_PID") ?? "0", Environment.GetEnvironmentVariable("E2E_BROKER_PID") ?? "0",
        Environment.GetEnvironmentVariable("E2E_STORE_PIDS") is { Length: > 0 } store ? store : "0");

    public static string Cells(string before, string after, int scans) =>
        Run("cells", before, after, scans.ToString(CultureInfo.InvariantCulture));

    private static string Run(params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", [Script, .. arguments]) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"bench/cpu.sh {arguments[0]} exited {process.ExitCode}");
    }
}
