using Amazon.S3;
using ScanWorker.Contracts;

namespace ScanWorker.Sources;

/// <summary>
/// The S3 client, built on first use rather than when the worker starts: a worker that never touches S3
/// (mount only, HTTP only) needs no S3 settings, and a request for S3 on such a worker is an invalid request
/// that names the missing setting instead of a fault.
/// </summary>
public sealed class S3Access(IServiceProvider services, Microsoft.Extensions.Options.IOptions<S3Options> options)
{
    /// <summary>
    /// How many messages the scan queues take beyond twice the clamd slots for S3's sake: <see cref="S3Options.ReadAhead"/>
    /// on a worker that can reach S3, none on one that cannot (a mount-only worker would only hoard messages).
    /// </summary>
    public static int ReadAheadOf(S3Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.ReadAhead > 0 && SourcesBuilderExtensions.S3Problem(options) is null ? options.ReadAhead : 0;
    }

    /// <summary>Null when the worker may touch <paramref name="bucket"/>; otherwise why not (S3:AllowedBuckets).</summary>
    public string? Refusal(string bucket) =>
        options.Value.AllowedBuckets.Count == 0 || options.Value.AllowedBuckets.Contains(bucket, StringComparer.Ordinal)
            ? null
            : $"bucket '{bucket}' is not one of S3__AllowedBuckets";

    /// <summary>The client; a <see cref="ScanSourceException"/> (<c>InvalidRequest</c>) when S3 is not configured.</summary>
    public IAmazonS3 Client
    {
        get
        {
            try
            {
                // A singleton whose factory throws is not cached, so a worker configured later (tests) is not stuck.
                return services.GetRequiredService<IAmazonS3>();
            }
            catch (S3NotConfiguredException exception)
            {
                throw new ScanSourceException(ScanErrorReason.InvalidRequest, exception.Message, inner: exception);
            }
        }
    }
}
