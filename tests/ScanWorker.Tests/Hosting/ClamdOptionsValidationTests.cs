using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScanWorker.Clamd;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Hosting;

/// <summary>A bad Clamd section stops the host at start, with a message that names the key.</summary>
public sealed class ClamdOptionsValidationTests
{
    [Theory(Timeout = 30_000)]
    [InlineData("Clamd:Address", "localhost:3310", "Clamd:Address")]
    [InlineData("Clamd:Address", "", "Address")]
    [InlineData("Clamd:ChunkSize", "10", "ChunkSize")]
    [InlineData("Clamd:ConnectTimeout", "00:00:00", "ConnectTimeout")]
    [InlineData("Clamd:MaxConcurrentScans", "0", "MaxConcurrentScans")]
    [InlineData("Clamd:ScanTimeout", "00:00:05", "Clamd:ScanTimeout")]
    public async Task Start_fails_naming_the_bad_key(string key, string value, string named)
    {
        using var host = BuildHost(new() { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_valid_section_starts_even_when_clamd_is_not_up_yet()
    {
        using var host = BuildHost(new() { ["Clamd:Address"] = $"tcp://127.0.0.1:{FreePort.Next()}" });

        await host.StartAsync(TestContext.Current.CancellationToken);
        var options = host.Services.GetRequiredService<IOptions<ClamdOptions>>().Value;
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(64 * 1024, options.ChunkSize);
        Assert.Null(options.MaxConcurrentScans);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddClamd();
        return builder.Build();
    }
}
