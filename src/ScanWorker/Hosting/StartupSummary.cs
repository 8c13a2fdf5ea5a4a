using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Options;
using ScanWorker.Buckets;
using ScanWorker.Clamd;
using ScanWorker.Diagnostics;
using ScanWorker.Http;
using ScanWorker.Messaging;
using ScanWorker.Scanning;
using ScanWorker.Sources;

namespace ScanWorker.Hosting;

/// <summary>
/// One line, once the host has started, saying what runs: version, HTTP, queues and broker nodes, bucket events, sources,
/// clamd and limits. Never a secret: no password, key or API key, only whether one is set.
/// </summary>
internal sealed class StartupSummary(IServiceProvider services, SettingsCheck.Report settings, IHostApplicationLifetime lifetime,
    ILogger<StartupSummary> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var warning in settings.Warnings)
        {
            logger.SettingIgnored(warning);
        }

        var http = services.GetRequiredService<IOptions<HttpOptions>>().Value;
        if (OpenToStrangers(http) is { } exposure)
        {
            logger.ScanEndpointsOpen(exposure);
        }

        lifetime.ApplicationStarted.Register(() => logger.Started(BuildInfo.Version, Describe(services)));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static string Describe(IServiceProvider services)
    {
        T Get<T>()
            where T : class => services.GetRequiredService<IOptions<T>>().Value;
        var http = Get<HttpOptions>();
        var messaging = Get<MessagingOptions>();
        var buckets = Get<BucketEventsOptions>();
        var s3 = Get<S3Options>();
        var mount = Get<MountOptions>();
        var clamd = Get<ClamdOptions>();
        var canary = Get<EngineCanaryOptions>();
        var configuration = services.GetRequiredService<IConfiguration>();
        var parts = new List<string>
        {
            $"HTTP {http.BindAddress}:{http.Port}" + (http.SslPort == 0 ? " (no TLS port)" : $" and TLS {http.SslPort}")
                + $", API keys {(http.ApiKeys.Count == 0 ? "off" : $"{http.ApiKeys.Count} set")}"
                + $", server-file roots {(http.ScanRoots.Count > 0 ? string.Join(',', http.ScanRoots) : "none (/scanFile and /scanPath refuse)")}",
            messaging.Enabled
                ? Broker(messaging, Get<RabbitMqTransportOptions>(), Get<BrokerClusterOptions>()) + InFlight(messaging, clamd, s3)
                : "queues off (Messaging:Enabled=false)",
            configuration.BucketEventsEnabled()
                ? $"bucket events on (exchange {buckets.Exchange} -> {buckets.Queue}, objects {buckets.ObjectsQueue}, infected {buckets.InfectedAction})"
                : "bucket events off",
            $"S3 {(s3.ServiceUrl ?? s3.Region ?? "not configured")}",
            $"mount {mount.Root ?? "none"}",
            $"clamd {clamd.Address} (heartbeat {clamd.HeartbeatInterval.TotalSeconds:0.#} s, scan timeout {clamd.ScanTimeout})",
            $"max object {Get<ScanningOptions>().MaxObjectBytes.ToString(CultureInfo.InvariantCulture)} bytes",
            canary.Enabled
                ? "engine canary on (" + string.Join(", ", new[] { canary.Eicar ? "EICAR" : null, canary.MustDetectDirectory, canary.MustBeCleanDirectory }
                    .Where(sample => sample is not null)) + $", every {canary.Interval})"
                : "engine canary OFF",
        };
        return string.Join("; ", parts);
    }

    /// <summary>What anyone who reaches the port may do, when no API key guards it and it listens beyond loopback; else null.</summary>
    internal static string? OpenToStrangers(HttpOptions http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.ApiKeys.Count > 0 || (System.Net.IPAddress.TryParse(http.BindAddress, out var address) && System.Net.IPAddress.IsLoopback(address)))
        {
            return null;
        }

        var files = http.ScanRoots.Count > 0 ? $", and read and list every file below {string.Join(", ", http.ScanRoots)} with /scanFile and /scanPath" : string.Empty;
        return $"anyone who reaches {http.BindAddress}:{http.Port} may scan{files}";
    }

    private static string InFlight(MessagingOptions messaging, ClamdOptions clamd, S3Options s3) =>
        $", {ScanQueuePolicy.LiveConcurrency(messaging, clamd, s3)} messages in flight"
        + (messaging.ConcurrentMessageLimit is null && S3Access.ReadAheadOf(s3) is > 0 and var ahead ? $" (S3 read-ahead {ahead})" : string.Empty);

    private static string Broker(MessagingOptions messaging, RabbitMqTransportOptions broker, BrokerClusterOptions cluster) =>
        $"queue {messaging.ScanRequestsQueue} ({messaging.QueueType}) on {string.Join(',', BrokerConnection.Nodes(broker, cluster))}"
        + $" vhost {broker.VHost} as {broker.User}{(broker.UseSsl ? " over TLS" : string.Empty)}";
}
