using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Contracts;
using ScanWorker.Diagnostics;

namespace ScanWorker.Buckets;

/// <summary>
/// Turns a signature version into its rescans, once: the queue has a single active consumer, which remembers the highest
/// version it handled, so the reports of every worker that saw the same update are counted as one. Each rescan has a
/// deterministic id (bucket, prefix, version) and reaches only objects whose clean verdict came from older signatures
/// and that were modified within BucketEvents:SignatureUpdateWindow; it runs on the backlog lane at the rescan pace.
/// </summary>
[ExcludeFromConfigureEndpoints]
public sealed class SignatureUpdateConsumer(
    SignatureVersionHandled handled,
    IOptions<BucketEventsOptions> options,
    TimeProvider time,
    ILogger<SignatureUpdateConsumer> logger) : IConsumer<SignatureUpdated>
{
    public async Task Consume(ConsumeContext<SignatureUpdated> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var update = context.Message;
        if (update.Version <= handled.Version)
        {
            logger.SignatureUpdateAlreadyHandled(update.Version);
            return;
        }

        var settings = options.Value;
        var requests = await context.GetSendEndpoint(new Uri($"exchange:{settings.RescanRequestsQueue}"));
        var modifiedAfter = time.GetUtcNow() - settings.SignatureUpdateWindow;
        foreach (var target in settings.SignatureUpdateRescans)
        {
            var (bucket, prefix) = Split(target);
            var rescanId = BucketScanId.For(bucket, prefix ?? string.Empty, $"signatures:{update.Version}", "signature-update");
            await requests.Send(new RescanRequested
            {
                RescanId = rescanId,
                Bucket = bucket,
                Prefix = prefix,
                OnlyClean = true,
                OlderThanSignatureVersion = update.Version,
                ModifiedAfter = modifiedAfter,
                RequestedAt = time.GetUtcNow(),
            }, context.CancellationToken);
            logger.SignatureUpdateRescan(update.Version, update.Previous, rescanId, bucket, prefix ?? string.Empty);
        }

        handled.Version = update.Version;
    }

    private static (string Bucket, string? Prefix) Split(string target)
    {
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (target, null) : (target[..slash], target[(slash + 1)..] is { Length: > 0 } prefix ? prefix : null);
    }
}
