using Microsoft.Extensions.Options;

namespace ScanWorker.Diagnostics;

[OptionsValidator]
internal sealed partial class OtlpOptionsValidator : IValidateOptions<OtlpOptions>;
