using Microsoft.Extensions.Options;

namespace ScanWorker.Clamd;

/// <summary>Rules the annotations cannot express: directories that exist, and at least one sample to detect.</summary>
internal sealed class EngineCanaryOptionsRules : IValidateOptions<EngineCanaryOptions>
{
    public ValidateOptionsResult Validate(string? name, EngineCanaryOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, directory) in new[] { ("MustDetectDirectory", options.MustDetectDirectory), ("MustBeCleanDirectory", options.MustBeCleanDirectory) })
        {
            if (string.IsNullOrEmpty(directory))
            {
                continue;
            }

            if (!Path.IsPathRooted(directory) || !Directory.Exists(directory))
            {
                failures.Add($"Clamd:Canary:{key} '{directory}' must be the absolute path of an existing directory.");
            }
        }

        if (options.Enabled && !options.Eicar && string.IsNullOrEmpty(options.MustDetectDirectory))
        {
            failures.Add("Clamd:Canary needs a sample clamd must detect: keep Clamd:Canary:Eicar=true or set Clamd:Canary:MustDetectDirectory.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
