using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Console;

namespace ScanWorker.Diagnostics;

public static class LoggingBuilderExtensions
{
    /// <summary>UTC timestamps in every console format.</summary>
    public const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

    /// <summary>
    /// Logs an operator reads: expected faults are the worker's own one-line events, so MassTransit's (a stack per
    /// reconnect attempt and per faulted message) and the health-check service's (a stack per failing probe) are off
    /// unless asked for (<c>Logging__LogLevel__MassTransit=Information</c>); readiness changes are logged once each
    /// instead; every line carries a UTC timestamp.
    /// </summary>
    public static IHostApplicationBuilder AddOperatorLogging(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Lowest priority: appsettings.json, the environment and the command line all override these.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:MassTransit"] = "Critical",
                ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None",
            },
        });
        // Microsoft's console logger with its writes batched: its formatters and settings, one write per batch of lines.
        builder.Logging.AddConsole();
        foreach (var console in builder.Services.Where(descriptor => descriptor.ImplementationType == typeof(ConsoleLoggerProvider)).ToList())
        {
            builder.Services.Remove(console);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, BatchedConsoleLoggerProvider>());
        // Without a formatter named, the console logger copies its own (obsolete) options over the formatter's.
        builder.Services.PostConfigure<ConsoleLoggerOptions>(options => options.FormatterName ??= ConsoleFormatterNames.Simple);
        builder.Services.PostConfigure<SimpleConsoleFormatterOptions>(options =>
        {
            options.TimestampFormat ??= TimestampFormat + " ";
            options.UseUtcTimestamp = true;
        });
        builder.Services.PostConfigure<JsonConsoleFormatterOptions>(options =>
        {
            options.TimestampFormat ??= TimestampFormat;
            options.UseUtcTimestamp = true;
        });
        builder.Services.AddSingleton<IHealthCheckPublisher, ReadinessLog>();
        builder.Services.Configure<HealthCheckPublisherOptions>(options =>
        {
            // Past a healthy start (broker connecting, first canary), so a start logs no "not ready" line.
            options.Delay = TimeSpan.FromSeconds(15);
            options.Period = TimeSpan.FromSeconds(5);
            options.Predicate = check => check.Tags.Contains("ready");
        });
        return builder;
    }
}
