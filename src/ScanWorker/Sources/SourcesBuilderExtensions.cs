using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.Options;

namespace ScanWorker.Sources;

public static class SourcesBuilderExtensions
{
    /// <summary>Registers the S3 and mount sources and their options; neither needs its settings until it is used.</summary>
    public static IHostApplicationBuilder AddScanSources(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<S3Options>().BindConfiguration(S3Options.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<S3Options>, S3OptionsRules>();
        builder.Services.AddSingleton<IValidateOptions<S3Options>, S3OptionsValidator>();
        builder.Services.AddOptions<MountOptions>().BindConfiguration(MountOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MountOptions>, MountOptionsRules>();
        builder.Services.AddSingleton<IAmazonS3>(services => CreateS3Client(services.GetRequiredService<IOptions<S3Options>>().Value));
        builder.Services.AddSingleton<S3Access>();
        builder.Services.AddSingleton<S3ScanSource>();
        builder.Services.AddSingleton<MountScanSource>();
        return builder;
    }

    /// <summary>Why no S3 client can be built from <paramref name="options"/>, or null when one can.</summary>
    internal static string? S3Problem(S3Options options)
    {
        try
        {
            CreateS3Client(options).Dispose();
            return null;
        }
        catch (S3NotConfiguredException exception)
        {
            return exception.Message;
        }
    }

    /// <summary>
    /// The client for <paramref name="options"/>; <see cref="S3NotConfiguredException"/> when neither an endpoint nor a
    /// region can be found (S3:ServiceUrl, S3:Region, or the SDK's own chain: AWS_REGION, the profile).
    /// </summary>
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

        try
        {
            return options.AccessKey is { Length: > 0 } accessKey
                ? new AmazonS3Client(new BasicAWSCredentials(accessKey, options.SecretKey), config)
                : new AmazonS3Client(config);
        }
        catch (AmazonClientException exception)
        {
            throw new S3NotConfiguredException(
                "S3 is not configured on this worker: set S3__ServiceUrl (an S3-compatible store) or S3__Region / AWS_REGION (AWS S3)"
                + $" ({exception.Message})", exception);
        }
    }
}
