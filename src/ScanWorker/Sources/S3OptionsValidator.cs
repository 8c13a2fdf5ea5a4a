using Microsoft.Extensions.Options;

namespace ScanWorker.Sources;

[OptionsValidator]
internal sealed partial class S3OptionsValidator : IValidateOptions<S3Options>;
