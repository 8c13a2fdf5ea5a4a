using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScanWorker.Clamd;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>A <see cref="ClamdClient"/> wired as the worker wires it, with options a test can adjust.</summary>
internal sealed class ClamdHarness : IDisposable
{
    private ClamdHarness(ClamdOptions options, TimeProvider time)
    {
        Options = options;
        Slots = new ClamdScanSlots(Microsoft.Extensions.Options.Options.Create(options), NullLogger<ClamdScanSlots>.Instance);
        Client = new ClamdClient(Microsoft.Extensions.Options.Options.Create(options), Slots, time);
    }

    public ClamdOptions Options { get; }

    public ClamdScanSlots Slots { get; }

    public ClamdClient Client { get; }

    public static ClamdHarness For(ClamdAddress address, Action<ClamdOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new ClamdOptions
        {
            Address = address.ToString(),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            IdleTimeout = TimeSpan.FromSeconds(20),
            ScanTimeout = TimeSpan.FromSeconds(60),
            CommandTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        var failures = new ClamdOptionsRules().Validate(null, options);
        if (failures.Failed)
        {
            throw new OptionsValidationException(nameof(ClamdOptions), typeof(ClamdOptions), failures.Failures);
        }

        return new ClamdHarness(options, time ?? TimeProvider.System);
    }

    public void Dispose()
    {
        Client.Dispose();
        Slots.Dispose();
    }
}
