using Microsoft.Extensions.Options;

namespace ScanWorker.Scanning;

public static class ScanningBuilderExtensions
{
    public static IHostApplicationBuilder AddScanning(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ScanningOptions>().BindConfiguration(ScanningOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ScanningOptions>, ScanningOptionsValidator>();
        builder.Services.AddSingleton<ScanSources>();
        builder.Services.AddSingleton<ScanCore>();
        return builder;
    }
}
