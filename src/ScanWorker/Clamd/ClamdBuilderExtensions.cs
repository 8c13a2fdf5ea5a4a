using Microsoft.Extensions.Options;
using ScanWorker.Diagnostics;

namespace ScanWorker.Clamd;

public static class ClamdBuilderExtensions
{
    /// <summary>Registers the clamd client, its scan slots, the monitor with its breaker and canary, options (validated at start) and the readiness checks.</summary>
    public static IHostApplicationBuilder AddClamd(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ClamdOptions>().BindConfiguration(ClamdOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClamdOptions>, ClamdOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<ClamdOptions>, ClamdOptionsRules>();
        builder.Services.AddOptions<EngineCanaryOptions>().BindConfiguration(EngineCanaryOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EngineCanaryOptions>, EngineCanaryOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<EngineCanaryOptions>, EngineCanaryOptionsRules>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ClamdScanSlots>();
        builder.Services.AddSingleton<IClamdClient, ClamdClient>();
        builder.Services.AddSingleton<ClamdVersionCache>();
        builder.Services.AddSingleton<SignatureFreshness>();
        builder.Services.AddSingleton<ClamdAvailability>();
        builder.Services.AddSingleton<EngineCanary>();
        builder.Services.AddSingleton<ClamdMonitor>();
        builder.Services.AddSingleton<IGaugeSource, ClamdGauges>();
        builder.Services.AddHostedService<ClamdStartupProbe>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ClamdMonitor>());
        builder.Services.AddHealthChecks()
            .AddCheck<ClamdHealthCheck>("clamd", tags: ["ready"])
            .AddCheck<SignatureFreshnessHealthCheck>("signatures", tags: ["ready"])
            .AddCheck<EngineCanaryHealthCheck>("engine-canary", tags: ["ready"]);
        return builder;
    }
}
