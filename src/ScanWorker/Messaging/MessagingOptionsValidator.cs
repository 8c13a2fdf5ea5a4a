using Microsoft.Extensions.Options;

namespace ScanWorker.Messaging;

[OptionsValidator]
internal sealed partial class MessagingOptionsValidator : IValidateOptions<MessagingOptions>;
