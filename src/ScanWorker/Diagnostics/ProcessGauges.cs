using System.Diagnostics;
using System.Runtime;

namespace ScanWorker.Diagnostics;

/// <summary>The process's own gauges (the names Prometheus' client libraries use) and the build.</summary>
internal sealed class ProcessGauges : IGaugeSource
{
    public IEnumerable<ObservedGauge> Gauges =>
    [
        new(ScanWorkerMetrics.BuildInfo, () => [new GaugeReading(1, BuildInfo.Version)]),
        new(ScanWorkerMetrics.ProcessCpuSeconds, () => [new GaugeReading(CpuSeconds())]),
        new(ScanWorkerMetrics.ProcessResidentMemory, () => [new GaugeReading(Environment.WorkingSet)]),
        new(ScanWorkerMetrics.GcHeapSize, () => [new GaugeReading(GC.GetTotalMemory(forceFullCollection: false))]),
        new(ScanWorkerMetrics.ThreadPoolQueueLength, () => [new GaugeReading(ThreadPool.PendingWorkItemCount)]),
        new(ScanWorkerMetrics.JitCompilationSeconds, () => [new GaugeReading(JitInfo.GetCompilationTime().TotalSeconds)]),
        new(ScanWorkerMetrics.JitCompiledMethods, () => [new GaugeReading(JitInfo.GetCompiledMethodCount())]),
        new(ScanWorkerMetrics.GcAllocatedBytes, () => [new GaugeReading(GC.GetTotalAllocatedBytes())]),
        new(ScanWorkerMetrics.GcCollections, () => [.. GenerationNames.Select((name, generation) => new GaugeReading(GC.CollectionCount(generation), name))]),
        new(ScanWorkerMetrics.GcPauseSeconds, () => [new GaugeReading(GC.GetTotalPauseDuration().TotalSeconds)]),
    ];

    // The generations' label values, indexed by generation.
    private static readonly string[] GenerationNames = ["0", "1", "2"];

    private static double CpuSeconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }
}
