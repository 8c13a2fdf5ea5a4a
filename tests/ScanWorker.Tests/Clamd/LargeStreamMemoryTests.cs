using ScanWorker.Clamd;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Clamd;

[RealServers]
[Collection(SequentialTests.Name)]
public sealed class LargeStreamMemoryTests(TestServers servers, ITestOutputHelper output)
{
    private const long StreamBytes = 200L * 1000 * 1000;

    // The client rents one chunk buffer; everything else per chunk is pooled or on the stack. What is
    // left is the socket, the hash and a few tasks: far below one percent of the stream.
    private const long AllocationBudgetBytes = 4L * 1024 * 1024;

    [Fact(Timeout = 180_000)]
    public async Task A_200_MB_stream_is_scanned_with_flat_client_allocations()
    {
        using var clamd = ClamdHarness.For((await servers.LargeClamdAsync()).Tcp);
        // Warm up: JIT, connection setup and pool buckets are not what this test measures.
        await clamd.Client.ScanPatternAsync(1024 * 1024, TestContext.Current.CancellationToken);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await clamd.Client.ScanPatternAsync(StreamBytes, TestContext.Current.CancellationToken);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"streamed {result.BytesSent:N0} bytes in {result.Elapsed}; the process allocated {allocated:N0} bytes");

        Assert.IsType<ClamdReply.Clean>(result.Reply);
        Assert.Equal(StreamBytes, result.BytesSent);
        Assert.True(allocated < AllocationBudgetBytes, $"allocated {allocated:N0} bytes while streaming {StreamBytes:N0}");
    }
}
