using ScanWorker.Hosting;

if (CommandLine.Handle(args, Console.Out) is { } handled)
{
    return handled;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddScanWorker();
if (builder.Services.SettingsReport().Errors is { Count: > 0 } errors)
{
    return StartupRefusal.Refuse(errors);
}

return await StartupRefusal.RunAsync(builder, app => app.MapScanWorkerEndpoints());

/// <summary>Entry point; public so that WebApplicationFactory&lt;Program&gt; can start the worker (tests/ScanWorker.Tests/Http/RestFacadeSpecs.cs).</summary>
public partial class Program;
