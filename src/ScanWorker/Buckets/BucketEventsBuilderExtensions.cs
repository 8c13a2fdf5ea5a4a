using Microsoft.Extensions.Options;
using ScanWorker.Diagnostics;
using ScanWorker.Messaging;

namespace ScanWorker.Buckets;

public static class BucketEventsBuilderExtensions
{
    /// <summary>Options and services of section <c>BucketEvents</c>; the queues come with <see cref="BucketEndpoints"/>.</summary>
    public static IHostApplicationBuilder AddBucketEvents(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<BucketEventsOptions>().BindConfiguration(BucketEventsOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BucketEventsOptions>, BucketEventsOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<BucketEventsOptions>, BucketEventsOptionsRules>();
        builder.Services.AddSingleton<ScannedObjectCheck>();
        builder.Services.AddSingleton<BucketWriteBack>();
        builder.Services.AddSingleton<RescanPacer>();
        builder.Services.AddSingleton<RescanTallies>();
        builder.Services.AddSingleton<SignatureVersionHandled>();
        // Only where a bus exists to report on (bucket events are consumed through it).
        if (builder.Configuration.BucketEventsEnabled() && builder.Configuration.MessagingEnabled())
        {
            builder.Services.AddHostedService<SignatureUpdateReporter>();
        }
        builder.Services.AddSingleton<IGaugeSource>(services => services.GetRequiredService<RescanTallies>());
        return builder;
    }

    public static bool BucketEventsEnabled(this IConfiguration configuration) =>
        configuration.GetValue(BucketEventsOptions.SectionName + ":" + nameof(BucketEventsOptions.Enabled), false);
}
