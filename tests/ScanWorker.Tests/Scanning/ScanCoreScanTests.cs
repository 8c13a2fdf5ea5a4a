using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ScanWorker.Clamd;
using ScanWorker.Contracts;
using ScanWorker.Diagnostics;
using ScanWorker.Scanning;
using ScanWorker.Sources;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Scanning;

/// <summary>
/// <see cref="ScanCore.ScanAsync(string, Func{CancellationToken, Task{SourceContent}}, CancellationToken)"/> itself, with an
/// in-process clamd: the one path every front end takes, and its fail-closed gates.
/// </summary>
public sealed class ScanCoreScanTests : IDisposable
{
    private readonly IHost _host;
    private readonly InProcessClamdClient _clamd = new();

    public ScanCoreScanTests()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Clamd:Canary:Enabled"] = "true" });
        builder.AddClamd();
        builder.AddScanWorkerTelemetry();
        builder.AddScanSources();
        builder.AddScanning();
        builder.Services.Replace(ServiceDescriptor.Singleton<IClamdClient>(_clamd));
        _host = builder.Build();
    }

    private ScanCore Core => _host.Services.GetRequiredService<ScanCore>();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_whole_clean_stream_is_clean_with_its_size_hash_and_engine()
    {
        var content = TestContent.Unique(10_000);

        var outcome = await Core.ScanAsync("upload", Open(content, content.Length), Token);

        Assert.Equal(ScanVerdict.Clean, outcome.Verdict);
        Assert.Equal(10_000, outcome.ScannedBytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), outcome.Sha256);
        Assert.Equal("1.0.7", outcome.Engine?.Engine);
    }

    [Fact]
    public async Task Eicar_is_infected_with_the_signature_clamd_named()
    {
        var outcome = await Core.ScanAsync("upload", Open(TestContent.Eicar, TestContent.Eicar.Length), Token);

        Assert.Equal(ScanVerdict.Infected, outcome.Verdict);
        Assert.Equal([InProcessClamdClient.Signature], outcome.Signatures);
    }

    [Fact]
    public async Task A_stream_shorter_than_its_source_said_is_never_clean()
    {
        var content = TestContent.Unique(1000);

        var outcome = await Core.ScanAsync("s3", Open(content, declaredLength: 4096), Token);

        Assert.Equal(ScanVerdict.Error, outcome.Verdict);
    }

    [Fact]
    public async Task A_source_failure_is_the_outcome_not_an_exception()
    {
        var outcome = await Core.ScanAsync("s3", _ => throw new ScanSourceException(ScanErrorReason.NotFound, "s3://b/k does not exist"), Token);

        Assert.Equal((ScanVerdict.Error, ScanErrorReason.NotFound, false), (outcome.Verdict, outcome.Reason, outcome.Transient));
    }

    [Fact]
    public async Task A_refused_scan_is_a_transient_ScannerUnavailable()
    {
        _clamd.RefusingScans = true;

        var outcome = await Core.ScanAsync("mount", Open(TestContent.CleanText, TestContent.CleanText.Length), Token);

        Assert.Equal((ScanErrorReason.ScannerUnavailable, true), (outcome.Reason, outcome.Transient));
    }

    [Fact]
    public async Task An_engine_that_cannot_detect_its_canary_gives_no_clean_verdict()
    {
        _clamd.Blind = true;

        var outcome = await Core.ScanAsync("upload", Open(TestContent.CleanText, TestContent.CleanText.Length), Token);

        Assert.Equal((ScanVerdict.Error, ScanErrorReason.ScannerError), (outcome.Verdict, outcome.Reason));
        Assert.Contains("canary", outcome.Detail, StringComparison.OrdinalIgnoreCase);
    }

    private static Func<CancellationToken, Task<SourceContent>> Open(byte[] content, long declaredLength) =>
        _ => Task.FromResult(new SourceContent(new MemoryStream(content, writable: false), declaredLength));

    public void Dispose() => _host.Dispose();
}
