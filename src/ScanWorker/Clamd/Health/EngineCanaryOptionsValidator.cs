using Microsoft.Extensions.Options;

namespace ScanWorker.Clamd;

/// <summary>Data-annotation checks, generated without reflection.</summary>
[OptionsValidator]
internal sealed partial class EngineCanaryOptionsValidator : IValidateOptions<EngineCanaryOptions>;
