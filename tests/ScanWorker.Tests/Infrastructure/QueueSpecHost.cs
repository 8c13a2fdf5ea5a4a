using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ScanWorker.Clamd;
using ScanWorker.Diagnostics;
using ScanWorker.Messaging;
using ScanWorker.Scanning;
using ScanWorker.Sources;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>
/// The fast tier's queue: the worker's consumers and scan core on MassTransit's in-memory test harness, an
/// <see cref="InProcessClamdClient"/> for clamd and a temporary directory as the mount. No server is started.
/// </summary>
internal sealed class QueueSpecHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly DirectoryInfo _mount;

    private QueueSpecHost(IHost host, DirectoryInfo mount, InProcessClamdClient clamd)
    {
        _host = host;
        _mount = mount;
        Clamd = clamd;
        Harness = host.Services.GetRequiredService<ITestHarness>();
    }

    public ITestHarness Harness { get; }

    public InProcessClamdClient Clamd { get; }

    /// <param name="consumers">Registers the consumers under test (with their definitions).</param>
    /// <param name="settings">Settings over the defaults (two retries without delay, the mount).</param>
    /// <param name="services">More services the consumers need.</param>
    public static async Task<QueueSpecHost> StartAsync(Action<IBusRegistrationConfigurator> consumers,
        IReadOnlyDictionary<string, string?>? settings = null, Action<IHostApplicationBuilder>? services = null)
    {
        var mount = Directory.CreateTempSubdirectory("scanworker-spec-");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mount:Root"] = mount.FullName,
            ["Messaging:RetryLimit"] = "2",
            ["Messaging:RetryMinInterval"] = "00:00:00",
            ["Messaging:RetryMaxInterval"] = "00:00:00",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.AddClamd();
        builder.AddScanWorkerTelemetry();
        builder.AddScanSources();
        builder.AddScanning();
        builder.Services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.SectionName);
        builder.Services.AddSingleton<QueuedScans>();
        services?.Invoke(builder);
        var clamd = new InProcessClamdClient();
        builder.Services.Replace(ServiceDescriptor.Singleton<IClamdClient>(clamd));
        builder.Services.AddMassTransitTestHarness(bus =>
        {
            bus.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(20), testInactivityTimeout: TimeSpan.FromSeconds(1));
            consumers(bus);
        });
        var spec = new QueueSpecHost(builder.Build(), mount, clamd);
        await spec.Harness.Start();
        return spec;
    }

    /// <summary>The value of a sample in what <c>/metrics</c> would serve now, or null when it is absent.</summary>
    public async Task<double?> MetricAsync(string name, CancellationToken cancellationToken)
    {
        using var text = new MemoryStream();
        await _host.Services.GetRequiredService<ScanWorkerTelemetry>().Registry.CollectAndExportAsTextAsync(text, cancellationToken);
        return PrometheusSample.Parse(System.Text.Encoding.UTF8.GetString(text.ToArray()))
            .SingleOrDefault(sample => sample.Name == name)?.Value;
    }

    /// <summary>Writes a file under the mount; returns its path relative to the mount, as a request names it.</summary>
    public string AddFile(string relativePath, byte[] content)
    {
        var path = Path.Combine(_mount.FullName, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return relativePath;
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        _host.Dispose();
        _mount.Delete(recursive: true);
    }
}
