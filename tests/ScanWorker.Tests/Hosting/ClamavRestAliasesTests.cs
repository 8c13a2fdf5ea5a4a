using Microsoft.Extensions.Configuration;
using ScanWorker.Hosting;

namespace ScanWorker.Tests.Hosting;

public sealed class ClamavRestAliasesTests
{
    [Fact]
    public void CLAMD_PORT_sets_the_clamd_address()
    {
        using var configuration = new ConfigurationManager();

        configuration.AddClamavRestAliases(new Dictionary<string, string> { ["CLAMD_PORT"] = "unix:///run/clamav/clamd.sock" });

        Assert.Equal("unix:///run/clamav/clamd.sock", configuration["Clamd:Address"]);
    }

    [Fact]
    public void The_native_key_wins_over_the_alias()
    {
        using var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Clamd:Address"] = "tcp://clamd:3310" });

        configuration.AddClamavRestAliases(new Dictionary<string, string> { ["CLAMD_PORT"] = "tcp://other:3310" });

        Assert.Equal("tcp://clamd:3310", configuration["Clamd:Address"]);
    }

    [Fact]
    public void No_alias_set_changes_nothing()
    {
        using var configuration = new ConfigurationManager();

        configuration.AddClamavRestAliases(new Dictionary<string, string>());

        Assert.Null(configuration["Clamd:Address"]);
    }

    [Theory]
    [InlineData("PORT", "8080", "Http:Port", "8080")]
    [InlineData("SSL_PORT", "", "Http:SslPort", "0")]
    [InlineData("SSL_PORT", "8443", "Http:SslPort", "8443")]
    [InlineData("SSL_CERT", "/certs/tls.crt", "Http:SslCert", "/certs/tls.crt")]
    [InlineData("MAX_FILE_SIZE", "25M", "Http:MaxFileSize", "26214400")]
    [InlineData("ALLOW_ORIGINS", "https://a.example;https://b.example", "Http:AllowOrigins", "https://a.example;https://b.example")]
    public void clamav_rest_variables_fill_the_http_section(string variable, string value, string key, string expected)
    {
        using var configuration = new ConfigurationManager();

        configuration.AddClamavRestAliases(new Dictionary<string, string> { [variable] = value });

        Assert.Equal(expected, configuration[key]);
    }
}
