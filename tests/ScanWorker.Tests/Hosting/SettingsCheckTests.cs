using Microsoft.Extensions.Configuration;
using ScanWorker.Hosting;

namespace ScanWorker.Tests.Hosting;

/// <summary>The settings read before anything binds, on in-memory configuration.</summary>
public sealed class SettingsCheckTests
{
    [Fact]
    public void Readable_values_and_known_keys_pass_quietly()
    {
        var report = Check(new()
        {
            ["Clamd:Address"] = "tcp://clamd:3310",
            ["Clamd:ScanTimeout"] = "00:05:00",
            ["Clamd:Canary:Interval"] = "00:00:30",
            ["Messaging:QueueType"] = "classic",
            ["Http:ApiKeys:0"] = "k",
            ["RabbitMq:Nodes:0"] = "a:5672",
            ["RabbitMq:Pass"] = "secret",
            ["BucketEvents:Enabled"] = "TRUE",
        });

        Assert.Empty(report.Errors);
        Assert.Empty(report.Warnings);
    }

    [Theory]
    [InlineData("Clamd:HeartbeatTimeout", "5s", "Clamd__HeartbeatTimeout=5s", "00:00:30")]
    [InlineData("Scanning:MaxObjectBytes", "100M", "Scanning__MaxObjectBytes=100M", "a whole number")]
    [InlineData("Http:MaxFileSize", "lots", "Http__MaxFileSize=lots", "25M")]
    [InlineData("BucketEvents:Enabled", "yes", "BucketEvents__Enabled=yes", "true or false")]
    [InlineData("BucketEvents:InfectedAction", "burn", "BucketEvents__InfectedAction=burn", "Quarantine")]
    public void An_unreadable_value_is_an_error_with_the_key_the_value_and_the_accepted_form(string key, string value, string written, string form)
    {
        var error = Assert.Single(Check(new() { [key] = value }).Errors);

        Assert.StartsWith(written, error, StringComparison.Ordinal);
        Assert.Contains(form, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Clamd:Adress", "did you mean Clamd__Address?")]
    [InlineData("RabbitMq:Passwrd", "did you mean RabbitMq__Pass?")]
    [InlineData("Clamd:Canary:MustDetectDir", "did you mean Clamd__Canary__MustDetectDirectory?")]
    [InlineData("Http:Zzzzzzzzzz", "lists the keys of Http")]
    public void An_unknown_key_is_a_warning_naming_the_nearest_known_one(string key, string hint)
    {
        var report = Check(new() { [key] = "x" });

        Assert.Empty(report.Errors);
        Assert.Contains(hint, Assert.Single(report.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_data_annotation_failure_is_told_with_the_key_and_value_as_written()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Clamd:ChunkSize"] = "10" }).Build();

        var told = SettingsCheck.Explain("ChunkSize: The field ClamdOptions.ChunkSize must be between 1024 and 4194304.", configuration,
            new Dictionary<string, string>());

        Assert.Equal("Clamd__ChunkSize=10 must be between 1024 and 4194304.", told);
    }

    private static SettingsCheck.Report Check(Dictionary<string, string?> settings) =>
        SettingsCheck.Check(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), new Dictionary<string, string>());
}
