using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Contracts;
using ScanWorker.Diagnostics;
using ScanWorker.Scanning;

namespace ScanWorker.Messaging;

/// <summary>
/// One request, one result. Invalid requests and definitive outcomes are published and acknowledged;
/// a transient failure is thrown to the retry policy, and on the last attempt its <c>ScanError</c>
/// (transient) is published before the message goes to the error queue. A scan cut off by shutdown
/// ends in <see cref="OperationCanceledException"/>: nothing is published and the broker redelivers it.
/// </summary>
public sealed class ScanRequestedConsumer(
    IScanner scanner,
    IOptions<ScanningOptions> scanning,
    IOptions<MessagingOptions> messaging,
    ScanWorkerTelemetry telemetry,
    TimeProvider time,
    ILogger<ScanRequestedConsumer> logger) : IConsumer<ScanRequested>
{
    public async Task Consume(ConsumeContext<ScanRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = time.GetTimestamp();
        var request = context.Message;
        using var activity = telemetry.ActivitySource.StartActivity("scan");
        activity?.SetTag("scan.id", request.ScanId);
        var problem = ScanRequestRules.Problem(request, scanning.Value.MaxMetadataBytes);
        if (problem is not null && request.ScanId == Guid.Empty)
        {
            logger.ScanRequestUnidentifiable(problem);
            throw new UnidentifiableScanRequestException($"a scan request without a scanId cannot be answered: {problem}");
        }

        var outcome = problem is null
            ? await scanner.ScanAsync(request.Target, context.CancellationToken)
            : ScanOutcome.Error(ScanErrorReason.InvalidRequest, problem);

        var attempt = context.GetRetryAttempt();
        var lastAttempt = attempt >= messaging.Value.RetryLimit;
        if (outcome.Transient && !lastAttempt)
        {
            logger.ScanRetrying(request.ScanId, attempt + 1, messaging.Value.RetryLimit, outcome.Detail);
            telemetry.MessageRetried();
            throw new TransientScanException(outcome.Detail);
        }

        var elapsed = time.GetElapsedTime(started);
        var elapsedMs = (long)elapsed.TotalMilliseconds;
        var metadataFits = ScanRequestRules.MetadataBytes(request.Metadata) <= scanning.Value.MaxMetadataBytes;
        var source = SourceOf(request.Target);
        telemetry.RecordScan(source, outcome, elapsed);
        activity?.SetTag("scan.source", source).SetTag("scan.verdict", outcome.Verdict.ToString())
            .SetTag("scan.reason", outcome.Reason?.ToString()).SetTag("scan.bytes", outcome.ScannedBytes);
        await PublishAsync(context, ScanResults.Create(request, outcome, time.GetUtcNow(), elapsedMs, echoMetadata: metadataFits));
        logger.ScanCompleted(request.ScanId, source, outcome.Verdict, outcome.Reason, outcome.ScannedBytes, elapsedMs,
            outcome.Detail);

        if (outcome.Transient)
        {
            // Retries are exhausted and the result says so; the message goes to the error queue for replay.
            throw new TransientScanException($"gave up after {attempt + 1} attempts: {outcome.Detail}");
        }
    }

    private static Task PublishAsync(ConsumeContext context, ScanCompleted result) => result switch
    {
        ScanClean clean => context.Publish(clean, context.CancellationToken),
        ScanInfected infected => context.Publish(infected, context.CancellationToken),
        ScanError error => context.Publish(error, context.CancellationToken),
        _ => throw new InvalidOperationException($"unknown result type {result.GetType()}"),
    };

    private static string SourceOf(ScanTarget? target) => ScanTargetRules.Classify(target, out _) switch
    {
        ScanTargetKind.S3 => "s3",
        ScanTargetKind.Mount => "mount",
        _ => "invalid",
    };
}
