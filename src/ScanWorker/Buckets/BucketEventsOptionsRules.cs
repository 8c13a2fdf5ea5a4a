using Microsoft.Extensions.Options;

namespace ScanWorker.Buckets;

/// <summary>Checks that span several settings.</summary>
public sealed class BucketEventsOptionsRules : IValidateOptions<BucketEventsOptions>
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

        var queues = new[] { options.Queue, options.ObjectsQueue, options.RescanQueue, options.RescanRequestsQueue };
        if (queues.Distinct(StringComparer.Ordinal).Count() != queues.Length)
        {
            failures.Add("BucketEvents:Queue, ObjectsQueue, RescanQueue and RescanRequestsQueue must all differ");
        }

        if (options.InfectedAction == InfectedAction.Quarantine && string.IsNullOrEmpty(options.QuarantineBucket)
            && string.IsNullOrEmpty(options.QuarantinePrefix))
        {
            failures.Add("BucketEvents:InfectedAction Quarantine needs a QuarantineBucket or a QuarantinePrefix (or both)");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
