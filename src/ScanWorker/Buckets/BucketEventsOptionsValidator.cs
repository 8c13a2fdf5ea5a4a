using Microsoft.Extensions.Options;

namespace ScanWorker.Buckets;

/// <summary>Data-annotation checks, generated without reflection.</summary>
[OptionsValidator]
internal sealed partial class BucketEventsOptionsValidator : IValidateOptions<BucketEventsOptions>;
