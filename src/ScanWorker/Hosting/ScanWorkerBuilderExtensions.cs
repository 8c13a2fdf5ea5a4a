using ScanWorker.Clamd;

namespace ScanWorker.Hosting;

public static class ScanWorkerBuilderExtensions
{
    /// <summary>Everything the worker is made of, one call per concern.</summary>
    public static WebApplicationBuilder AddScanWorker(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddClamavRestAliases(Environment.GetEnvironmentVariables());
        builder.AddClamd();
        return builder;
    }
}
