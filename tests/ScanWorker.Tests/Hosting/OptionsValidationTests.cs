using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScanWorker.Buckets;
using ScanWorker.Clamd;
using ScanWorker.Messaging;
using ScanWorker.Scanning;
using ScanWorker.Sources;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Hosting;

/// <summary>A bad setting stops the host at start, with a message that names the key.</summary>
public sealed class OptionsValidationTests
{
    [Theory(Timeout = 30_000)]
    [InlineData("Clamd:Address", "localhost:3310", "Clamd:Address")]
    [InlineData("Clamd:Address", "", "Address")]
    [InlineData("Clamd:ChunkSize", "10", "ChunkSize")]
    [InlineData("Clamd:ConnectTimeout", "00:00:00", "ConnectTimeout")]
    [InlineData("Clamd:MaxConcurrentScans", "0", "MaxConcurrentScans")]
    [InlineData("Clamd:ScanTimeout", "00:00:05", "Clamd:ScanTimeout")]
    [InlineData("S3:AccessKey", "only-the-key", "S3:AccessKey")]
    [InlineData("S3:ServiceUrl", "not a url", "S3:ServiceUrl")]
    [InlineData("Mount:Root", "relative/dir", "Mount:Root")]
    [InlineData("Mount:Root", "/no/such/dir/anywhere", "Mount:Root")]
    [InlineData("Scanning:MaxObjectBytes", "0", "MaxObjectBytes")]
    [InlineData("Messaging:RetryLimit", "-1", "RetryLimit")]
    [InlineData("Messaging:ScanRequestsQueue", "", "ScanRequestsQueue")]
    [InlineData("BucketEvents:ExchangeType", "zigzag", "BucketEvents:ExchangeType")]
    [InlineData("BucketEvents:ObjectsQueue", "scan-bucket-events", "ObjectsQueue")]
    [InlineData("BucketEvents:RescanObjectsPerSecond", "0", "RescanObjectsPerSecond")]
    [InlineData("BucketEvents:TagPrefix", "scan{", "TagPrefix")]
    [InlineData("BucketEvents:QuarantinePrefix", "", "QuarantineBucket")]
    [InlineData("BucketEvents:CleanAction", "Promote", "BucketEvents:CleanBucket")]
    [InlineData("BucketEvents:SignatureUpdateRescans:0", "-bad/prefix", "BucketEvents:SignatureUpdateRescans:0")]
    [InlineData("BucketEvents:RescanProgressQueue", "scan-bucket-rescans", "RescanProgressQueue")]
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
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Messaging:Enabled"] = "false" });
        builder.AddClamd();
        builder.AddScanSources();
        builder.AddScanning();
        builder.AddMessaging([]);
        builder.AddBucketEvents();
        return builder.Build();
    }
}
