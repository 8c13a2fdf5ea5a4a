using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScanWorker.Clamd;
using ScanWorker.Hosting;
using ScanWorker.Sources;

namespace ScanWorker.Tests.Hosting;

/// <summary>The start-up summary says how many messages the scan queues take, and why, as the sizing rule decides.</summary>
public sealed class StartupSummaryTests
{
    [Fact]
    public void A_worker_with_S3_names_its_messages_in_flight_and_the_read_ahead_in_them()
    {
        var summary = StartupSummary.Describe(Services(s3 => s3.ServiceUrl = "http://127.0.0.1:9000", clamd => clamd.MaxConcurrentScans = 4));

        Assert.Contains(", 40 messages in flight (S3 read-ahead 32);", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_without_S3_takes_twice_its_slots_and_names_no_read_ahead()
    {
        var summary = StartupSummary.Describe(Services(_ => { }, clamd => clamd.MaxConcurrentScans = 4));

        Assert.Contains(", 8 messages in flight;", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("read-ahead", summary, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(Action<S3Options> s3, Action<ClamdOptions> clamd)
    {
        var services = new ServiceCollection();
        services.AddOptions();
        services.Configure(s3);
        services.Configure(clamd);
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        return services.BuildServiceProvider();
    }
}
