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
        var request = context.Message;
        var problem = ScanRequestRules.Problem(request, scanning.Value.MaxMetadataBytes);
        if (problem is not null && request.ScanId == Guid.Empty)
        {
            logger.ScanRequestUnidentifiable(problem);
            throw new UnidentifiableScanRequestException($"a scan request without a scanId cannot be answered: {problem}");
        }

        var metadataFits = ScanRequestRules.MetadataBytes(request.Metadata) <= scanning.Value.MaxMetadataBytes;
        return pipeline.RunAsync(context, request, problem, metadataFits);
    }
}
