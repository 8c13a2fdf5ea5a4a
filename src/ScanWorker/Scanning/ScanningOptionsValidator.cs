using Microsoft.Extensions.Options;

namespace ScanWorker.Scanning;

[OptionsValidator]
internal sealed partial class ScanningOptionsValidator : IValidateOptions<ScanningOptions>;
