using Microsoft.Extensions.Options;

namespace ScanWorker.Sources;

internal sealed class MountOptionsRules : IValidateOptions<MountOptions>
{
    public ValidateOptionsResult Validate(string? name, MountOptions options) => options.Root switch
    {
        null or "" => ValidateOptionsResult.Success,
        var root when !Path.IsPathRooted(root) => ValidateOptionsResult.Fail($"Mount:Root '{root}' must be an absolute path."),
        var root when !Directory.Exists(root) => ValidateOptionsResult.Fail($"Mount:Root '{root}' is not a directory."),
        _ => ValidateOptionsResult.Success,
    };
}
