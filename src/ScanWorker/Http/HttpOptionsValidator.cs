using Microsoft.Extensions.Options;

namespace ScanWorker.Http;

/// <summary>Data-annotation checks, generated without reflection.</summary>
[OptionsValidator]
internal sealed partial class HttpOptionsValidator : IValidateOptions<HttpOptions>;
