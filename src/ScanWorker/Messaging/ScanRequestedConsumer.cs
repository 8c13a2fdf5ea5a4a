using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Contracts;
using ScanWorker.Diagnostics;
using ScanWorker.Scanning;

namespace ScanWorker.Messaging;

/// <summary>
/// One request, one result (see <see cref="ScanPipeline"/>). A request is validated first: an invalid one is
/// answered with <c>InvalidRequest</c>, and one without a scanId, which cannot be answered, goes to the error queue.
/// </summary>
public sealed class ScanRequestedConsumer(
    ScanPipeline pipeline,
    IOptions<ScanningOptions> scanning,
    ILogger<ScanRequestedConsumer> logger) : IConsumer<ScanRequested>
{
    public Task Consume(ConsumeContext<ScanRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scan = ScanRequestRules.Admit(context.Message, scanning.Value.MaxMetadataBytes);
        if (scan.Request.ScanId == Guid.Empty)
        {
            logger.ScanRequestUnidentifiable(scan.Problem!);
            throw new UnidentifiableScanRequestException($"a scan request without a scanId cannot be answered: {scan.Problem}");
        }

        return pipeline.RunAsync(context, scan);
    }
}
