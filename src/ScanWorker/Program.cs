using ScanWorker.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddScanWorker();

var app = builder.Build();
app.MapScanWorkerEndpoints();
await app.RunAsync();

/// <summary>Entry point; public so integration tests can host the real composition root.</summary>
public partial class Program;
