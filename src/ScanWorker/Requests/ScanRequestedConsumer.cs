using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Contracts;
using ScanWorker.Diagnostics;
using ScanWorker.Messaging;
using ScanWorker.Scanning;

namespace ScanWorker.Requests;

/// <summary>
/// One request, one result. A request is validated first: an invalid one is answered with <c>InvalidRequest</c>, and one
/// without a scanId, which cannot be answered, goes to the error queue. Then it takes the steps of
/// <see cref="QueuedScans"/>: scan, retry or publish, give up.
/// </summary>
public sealed class ScanRequestedConsumer(
    QueuedScans scans,
    IOptions<ScanningOptions> scanning,
    TimeProvider time,
    ILogger<ScanRequestedConsumer> logger) : IConsumer<ScanRequested>
{
    public async Task Consume(ConsumeContext<ScanRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = time.GetTimestamp();
        var scan = ScanRequestRules.Admit(context.Message, scanning.Value.MaxMetadataBytes);
        var request = scan.Request;
        if (request.ScanId == Guid.Empty)
        {
            logger.ScanRequestUnidentifiable(scan.Problem!);
            throw new UnidentifiableScanRequestException($"a scan request without a scanId cannot be answered: {scan.Problem}");
        }

        using var activity = scans.StartActivity(request.ScanId);
        var outcome = scan.Kind is { } kind
            ? await scans.ScanAsync(kind, request.Target, context.CancellationToken)
            : ScanOutcome.Error(ScanErrorReason.InvalidRequest, scan.Problem ?? "invalid request");
        scans.RetryIfTransient(context, request.ScanId, outcome);
        await scans.PublishAsync(context, request, scan.SourceLabel, outcome, started);
        QueuedScans.GiveUpIfTransient(context, outcome);
    }
}
