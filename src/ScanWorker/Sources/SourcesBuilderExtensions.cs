using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.Options;

namespace ScanWorker.Sources;

public static class SourcesBuilderExtensions
{
    /// <summary>Registers the S3 and mount sources and their options.</summary>
    public static IHostApplicationBuilder AddScanSources(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<S3Options>().BindConfiguration(S3Options.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<S3Options>, S3OptionsRules>();
        builder.Services.AddOptions<MountOptions>().BindConfiguration(MountOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MountOptions>, MountOptionsRules>();
        builder.Services.AddSingleton<IAmazonS3>(services => CreateS3Client(services.GetRequiredService<IOptions<S3Options>>().Value));
        builder.Services.AddSingleton<S3ScanSource>();
        builder.Services.AddSingleton<MountScanSource>();
        return builder;
    }

    internal static AmazonS3Client CreateS3Client(S3Options options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // S3-compatible stores differ in which flexible checksums they support; ask only when required.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // The message retry policy retries whole scans; keep the SDK's own retries short.
            MaxErrorRetry = 2,
        };
        if (options.ServiceUrl is { Length: > 0 } serviceUrl)
        {
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (options.Region is { Length: > 0 } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return options.AccessKey is { Length: > 0 } accessKey
            ? new AmazonS3Client(new BasicAWSCredentials(accessKey, options.SecretKey), config)
            : new AmazonS3Client(config);
    }
}
