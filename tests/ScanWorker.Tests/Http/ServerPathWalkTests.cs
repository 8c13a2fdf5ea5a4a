using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Http;

/// <summary>/scanPath as an attacker lays out the tree: hidden files, links out and back, cycles, FIFOs, huge and deep trees.</summary>
[RealServers]
public sealed class ServerPathWalkTests(TestServers servers) : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("scanworker-walk-");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task Dotfiles_and_dot_directories_are_scanned_so_hidden_eicar_is_found()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root.FullName, "upload")).FullName;
        Directory.CreateDirectory(Path.Combine(dir, ".hidden"));
        await File.WriteAllBytesAsync(Path.Combine(dir, ".eicar.com"), TestContent.Eicar, Token);
        await File.WriteAllBytesAsync(Path.Combine(dir, ".hidden", "e.com"), TestContent.Eicar, Token);
        await File.WriteAllBytesAsync(Path.Combine(dir, "clean.txt"), TestContent.CleanText, Token);
        await File.WriteAllBytesAsync(Path.Combine(dir, "ü\u0001 odd name.txt"), TestContent.CleanText, Token);
        await using var worker = await StartAsync();

        var (status, elements) = await WalkAsync(worker, dir);

        Assert.Equal(HttpStatusCode.NotAcceptable, status);
        Assert.Equal(
            [(".eicar.com", "FOUND"), (".hidden/e.com", "FOUND"), ("clean.txt", "OK"), ("ü\u0001 odd name.txt", "OK")],
            elements.Select(element => (Path.GetRelativePath(dir, element.FileName!), element.Status)));
    }

    [Fact(Timeout = 120_000)]
    public async Task Links_to_the_filesystem_root_and_to_the_parent_are_answered_at_once_not_followed()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root.FullName, "links")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(dir, "eicar.com"), TestContent.Eicar, Token);
        File.CreateSymbolicLink(Path.Combine(dir, "root"), "/");
        File.CreateSymbolicLink(Path.Combine(dir, "up"), "..");
        File.CreateSymbolicLink(Path.Combine(dir, "self"), ".");
        File.CreateSymbolicLink(Path.Combine(dir, "dangling"), Path.Combine(dir, "nothing-here"));
        await using var worker = await StartAsync();

        var started = Stopwatch.StartNew();
        var (status, elements) = await WalkAsync(worker, dir);

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"the walk took {started.Elapsed}");
        Assert.Equal(HttpStatusCode.NotAcceptable, status);
        var byName = elements.ToDictionary(element => Path.GetFileName(element.FileName!), element => element);
        Assert.Equal("FOUND", byName["eicar.com"].Status);
        Assert.Contains("outside the scan roots", byName["root"].Description, StringComparison.Ordinal);
        Assert.Contains("cycle", byName["self"].Description, StringComparison.Ordinal);
        Assert.Contains("dangling", byName["dangling"].Description, StringComparison.Ordinal);
        // '..' is the scan root itself here: walking it would come back to this directory, reported as a cycle.
        Assert.DoesNotContain(elements, element => element.Status == "OK");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_fifo_in_the_tree_is_an_error_element_and_does_not_block_the_walk()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root.FullName, "fifo")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(dir, "clean.txt"), TestContent.CleanText, Token);
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(dir, "pipe")]))
        {
            await mkfifo.WaitForExitAsync(Token);
        }

        await using var worker = await StartAsync();

        var (status, elements) = await WalkAsync(worker, dir);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal([("clean.txt", "OK"), ("pipe", "ERROR")], elements.Select(element => (Path.GetFileName(element.FileName!), element.Status)));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_walk_over_its_entry_or_depth_bound_is_an_error_never_a_partial_200()
    {
        var wide = Directory.CreateDirectory(Path.Combine(_root.FullName, "wide")).FullName;
        for (var i = 0; i < 12; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(wide, $"{i:00}.txt"), TestContent.CleanText, Token);
        }

        var deep = Directory.CreateDirectory(Path.Combine(_root.FullName, "deep", "1", "2", "3", "4")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(deep, "bottom.txt"), TestContent.CleanText, Token);
        await using var worker = await StartAsync(settings =>
        {
            settings["Http:ScanPathMaxEntries"] = "10";
            settings["Http:ScanPathMaxDepth"] = "2";
        });

        var (wideStatus, wideElements) = await WalkAsync(worker, wide);
        var (deepStatus, deepElements) = await WalkAsync(worker, Path.Combine(_root.FullName, "deep"));

        Assert.Equal(HttpStatusCode.BadRequest, wideStatus);
        Assert.Equal(11, wideElements.Count);
        Assert.Contains("Http:ScanPathMaxEntries", wideElements[^1].Description, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, deepStatus);
        Assert.Contains("Http:ScanPathMaxDepth", deepElements[^1].Description, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_walk_over_its_time_bound_ends_with_an_error_element()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root.FullName, "slow")).FullName;
        for (var i = 0; i < 6; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(dir, $"{i}.txt"), TestContent.CleanText, Token);
        }

        // A clamd that takes 700 ms per file: the 2 s bound passes after the third or fourth file.
        await using var clamd = FakeClamd.Start(async (connection, cancellationToken) =>
        {
            await connection.ReadCommandAsync(cancellationToken);
            await connection.ReadInStreamAsync(cancellationToken);
            await Task.Delay(700, cancellationToken);
            await connection.ReplyAsync("stream: OK", cancellationToken);
        });
        await using var worker = await StartAsync(settings =>
        {
            settings["Clamd:Address"] = clamd.Address.ToString();
            settings["Clamd:Canary:Enabled"] = "false";
            settings["Clamd:MaxConcurrentScans"] = "1";
            settings["Http:ScanPathTimeout"] = "00:00:02";
        });

        var (status, elements) = await WalkAsync(worker, dir);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Http:ScanPathTimeout", elements[^1].Description, StringComparison.Ordinal);
        Assert.InRange(elements.Count(element => element.Status == "OK"), 1, 5);
    }

    private static async Task<(HttpStatusCode Status, IReadOnlyList<RestElement> Elements)> WalkAsync(WorkerHost worker, string path)
    {
        using var http = worker.CreateHttpClient();
        using var response = await http.GetAsync($"/scanPath?path={Uri.EscapeDataString(path)}", Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        return (response.StatusCode, JsonSerializer.Deserialize<List<RestElement>>(body) ?? []);
    }

    private Task<WorkerHost> StartAsync(Action<Dictionary<string, string?>>? configure = null) =>
        WorkerHost.StartAsync(servers, settings =>
        {
            settings["Messaging:Enabled"] = "false";
            settings["Http:ScanRoots:0"] = _root.FullName;
            configure?.Invoke(settings);
        });

    public void Dispose() => _root.Delete(recursive: true);

    private sealed record RestElement(string Status, string Description, string? FileName);
}
