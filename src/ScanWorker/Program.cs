using ScanWorker.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddScanWorker();
if (builder.Services.SettingsReport().Errors is { Count: > 0 } errors)
{
    return StartupRefusal.Refuse(errors);
}

return await StartupRefusal.RunAsync(builder, app => app.MapScanWorkerEndpoints());

/// <summary>Entry point.</summary>
public partial class Program;
