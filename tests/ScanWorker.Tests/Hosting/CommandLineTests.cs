using System.Diagnostics;
using ScanWorker.Diagnostics;
using ScanWorker.Hosting;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Hosting;

/// <summary><c>--version</c> and <c>--help</c>, run as a newcomer runs them: the built worker as a process, no settings.</summary>
public sealed class CommandLineTests
{
    [Fact(Timeout = 60_000)]
    public async Task Version_prints_the_stamped_version_and_exits_0_without_any_settings()
    {
        var (code, output) = await RunAsync("--version");

        Assert.Equal(0, code);
        Assert.Equal($"ScanWorker {BuildInfo.Version}", output.Trim());
        // MinVer's form: MAJOR.MINOR.PATCH[-pre], then the commit.
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?\+[0-9a-f]{7,}$", BuildInfo.Version);
    }

    [Fact(Timeout = 60_000)]
    public async Task Help_lists_every_deployment_shape_exactly_as_the_configuration_reference_gives_it_and_exits_0()
    {
        var (code, output) = await RunAsync("--help");
        var documented = await File.ReadAllTextAsync(RepositoryRoot.Combine("docs", "configuration.md"), TestContext.Current.CancellationToken);

        Assert.Equal(0, code);
        Assert.Contains("usage: dotnet ScanWorker.dll", output, StringComparison.Ordinal);
        var shapes = CommandLine.ShapeBlocks();
        Assert.True(shapes.Count >= 6, $"only {shapes.Count} shapes in the help");
        foreach (var shape in shapes)
        {
            Assert.Contains(shape, output, StringComparison.Ordinal);
            Assert.Contains(shape, documented.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Other_arguments_start_the_worker_as_before() =>
        Assert.Null(CommandLine.Handle(["--Logging:LogLevel:Default=Debug"], TextWriter.Null));

    private static async Task<(int Code, string Output)> RunAsync(string argument)
    {
        var start = new ProcessStartInfo("dotnet", [WorkerProcess.WorkerDll, argument])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(WorkerProcess.WorkerDll)!,
        };
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        start.Environment["HOME"] = Environment.GetEnvironmentVariable("HOME");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(string.IsNullOrEmpty(await errors), await errors);
        return (process.ExitCode, await output);
    }
}
