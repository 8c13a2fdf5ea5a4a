using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using ScanWorker.Hosting;

namespace ScanWorker.Tests.Hosting;

public sealed class LoggingConfigurationTests
{
    [Theory]
    [InlineData("json", "json")]
    [InlineData(null, "simple")]
    public void The_console_log_format_is_chosen_by_configuration(string? configured, string? expected)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:Console:FormatterName"] = configured,
            ["Messaging:Enabled"] = "false",
        });
        builder.AddScanWorker();
        using var app = builder.Build();

        var console = app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        var formatters = app.Services.GetServices<ConsoleFormatter>().Select(formatter => formatter.Name);

        Assert.Equal(expected, console.FormatterName);
        Assert.Contains(ConsoleFormatterNames.Json, formatters);
    }
}
