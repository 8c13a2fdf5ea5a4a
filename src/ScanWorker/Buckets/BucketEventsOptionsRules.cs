using Microsoft.Extensions.Options;
using ScanWorker.Scanning;
using ScanWorker.Sources;

namespace ScanWorker.Buckets;

/// <summary>Checks that span several settings.</summary>
public sealed class BucketEventsOptionsRules(IOptions<S3Options> s3) : IValidateOptions<BucketEventsOptions>
{
    private static readonly string[] ExchangeTypes = ["fanout", "direct", "topic", "headers"];

    public ValidateOptionsResult Validate(string? name, BucketEventsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!ExchangeTypes.Contains(options.ExchangeType, StringComparer.Ordinal))
        {
            failures.Add($"BucketEvents:ExchangeType must be one of {string.Join(", ", ExchangeTypes)}, not '{options.ExchangeType}'");
        }

        var queues = new[]
        {
            options.Queue, options.ObjectsQueue, options.RescanQueue, options.RescanRequestsQueue, options.RescanProgressQueue,
            options.SignatureUpdatesQueue,
        };
        if (queues.Distinct(StringComparer.Ordinal).Count() != queues.Length)
        {
            failures.Add("BucketEvents:Queue, ObjectsQueue, RescanQueue, RescanRequestsQueue, RescanProgressQueue and SignatureUpdatesQueue must all differ");
        }

        // A target a rescan would refuse is refused at start, naming the entry, not at the next signature update.
        for (var i = 0; i < options.SignatureUpdateRescans.Count; i++)
        {
            var bucket = options.SignatureUpdateRescans[i].Split('/', 2)[0];
            if (S3ObjectNames.BucketProblem(bucket) is { } refused)
            {
                failures.Add($"BucketEvents:SignatureUpdateRescans:{i} = '{options.SignatureUpdateRescans[i]}': {refused}");
            }
        }

        // Promoted in place without a prefix, an object would be copied onto itself and then deleted.
        if (options.CleanAction == CleanAction.Promote && string.IsNullOrEmpty(options.CleanBucket) && string.IsNullOrEmpty(options.CleanPrefix))
        {
            failures.Add("BucketEvents:CleanAction=Promote needs BucketEvents:CleanBucket (a bucket readers use) or BucketEvents:CleanPrefix");
        }

        // Without either, quarantined copies would be indistinguishable from uploads: each copy would be
        // scanned, found infected and quarantined again, forever.
        if (string.IsNullOrEmpty(options.QuarantineBucket) && string.IsNullOrEmpty(options.QuarantinePrefix))
        {
            failures.Add("BucketEvents:QuarantinePrefix may only be empty when BucketEvents:QuarantineBucket names a bucket of its own");
        }

        // Bucket notifications read, tag and move objects: unlike a queue worker, they cannot run without S3.
        if (options.Enabled && SourcesBuilderExtensions.S3Problem(s3.Value) is { } problem)
        {
            failures.Add($"BucketEvents:Enabled needs S3: {problem}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
