using Microsoft.Extensions.Options;

namespace ScanWorker.Clamd;

/// <summary>Rules the annotations cannot express.</summary>
internal sealed class ClamdOptionsRules : IValidateOptions<ClamdOptions>
{
    public ValidateOptionsResult Validate(string? name, ClamdOptions options)
    {
        var failures = new List<string>();
        if (!ClamdAddress.TryParse(options.Address, out _, out var error))
        {
            failures.Add($"Clamd:Address (or CLAMD_PORT): {error}");
        }

        if (options.ScanTimeout <= options.IdleTimeout)
        {
            failures.Add($"Clamd:ScanTimeout ({options.ScanTimeout}) must be longer than Clamd:IdleTimeout ({options.IdleTimeout}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
