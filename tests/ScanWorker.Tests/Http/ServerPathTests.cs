using System.Net;
using System.Text.Json;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Http;

/// <summary>/scanFile and /scanPath read only below the configured roots, and name every file they report.</summary>
[RealServers]
public sealed class ServerPathTests(TestServers servers) : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("scanworker-roots-");
    private readonly DirectoryInfo _outside = Directory.CreateTempSubdirectory("scanworker-outside-");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task Scan_file_inside_the_roots_streams_the_file_and_refuses_everything_else()
    {
        Prepare();
        await using var worker = await StartAsync();
        using var http = worker.CreateHttpClient();
        var root = _root.FullName;

        var clean = await GetAsync(http, "/scanFile", Path.Combine(root, "docs", "clean.txt"));
        var infected = await GetAsync(http, "/scanFile", Path.Combine(root, "docs", "eicar.com"));
        var dotDot = await GetAsync(http, "/scanFile", Path.Combine(root, "docs", "..", "..", Path.GetFileName(_outside.FullName), "secret.txt"));
        var symlink = await GetAsync(http, "/scanFile", Path.Combine(root, "docs", "escape.txt"));
        var absolute = await GetAsync(http, "/scanFile", "/etc/passwd");
        var newline = await GetAsync(http, "/scanFile", Path.Combine(root, "docs", "clean.txt\nPING"));
        var missing = await GetAsync(http, "/scanFile", Path.Combine(root, "docs", "missing.txt"));
        var noPath = await http.GetAsync("/scanFile", Token);

        Assert.Equal(HttpStatusCode.OK, clean.Status);
        Assert.Equal($$"""{"Status":"OK","Description":"","FileName":"{{Path.Combine(root, "docs", "clean.txt")}}"}""", clean.Body);
        Assert.Equal(HttpStatusCode.NotAcceptable, infected.Status);
        Assert.Equal(HttpStatusCode.Forbidden, dotDot.Status);
        Assert.Equal(HttpStatusCode.Forbidden, symlink.Status);
        Assert.Equal(HttpStatusCode.Forbidden, absolute.Status);
        Assert.Equal(HttpStatusCode.BadRequest, newline.Status);
        Assert.Equal(HttpStatusCode.PreconditionFailed, missing.Status);
        Assert.Equal(HttpStatusCode.BadRequest, noPath.StatusCode);
        Assert.Equal("URL param 'path' is missing", await noPath.Content.ReadAsStringAsync(Token));
    }

    [Fact(Timeout = 120_000)]
    public async Task Scan_path_walks_the_directory_and_names_every_file()
    {
        Prepare();
        await using var worker = await StartAsync();
        using var http = worker.CreateHttpClient();

        var tree = await GetAsync(http, "/scanPath", _root.FullName);
        var cleanDir = await GetAsync(http, "/scanPath", Path.Combine(_root.FullName, "clean-only"));
        var outside = await GetAsync(http, "/scanPath", _outside.FullName);
        var elements = JsonDocument.Parse(tree.Body).RootElement.EnumerateArray()
            .ToDictionary(e => Path.GetRelativePath(_root.FullName, e.GetProperty("FileName").GetString()!), e => e.GetProperty("Status").GetString());

        Assert.Equal(HttpStatusCode.NotAcceptable, tree.Status);
        Assert.Equal("OK", elements[Path.Combine("docs", "clean.txt")]);
        Assert.Equal("FOUND", elements[Path.Combine("docs", "eicar.com")]);
        Assert.Equal("ERROR", elements[Path.Combine("docs", "escape.txt")]);
        Assert.Equal("OK", elements[Path.Combine("clean-only", "a.txt")]);
        Assert.Equal(HttpStatusCode.OK, cleanDir.Status);
        Assert.Equal(HttpStatusCode.Forbidden, outside.Status);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_link_out_of_the_roots_answers_the_same_whether_its_target_exists_or_not()
    {
        Prepare();
        var docs = Path.Combine(_root.FullName, "docs");
        Directory.CreateSymbolicLink(Path.Combine(docs, "out-dir"), _outside.FullName);
        File.CreateSymbolicLink(Path.Combine(docs, "dangling-out.txt"), Path.Combine(_outside.FullName, "no-such.txt"));
        File.CreateSymbolicLink(Path.Combine(docs, "dangling-in.txt"), Path.Combine(docs, "no-such.txt"));
        await using var worker = await StartAsync();
        using var http = worker.CreateHttpClient();

        var existingOutside = await GetAsync(http, "/scanFile", Path.Combine(docs, "out-dir", "secret.txt"));
        var missingOutside = await GetAsync(http, "/scanFile", Path.Combine(docs, "out-dir", "no-such.txt"));
        var danglingOut = await GetAsync(http, "/scanFile", Path.Combine(docs, "dangling-out.txt"));
        var danglingIn = await GetAsync(http, "/scanFile", Path.Combine(docs, "dangling-in.txt"));
        var missingInside = await GetAsync(http, "/scanFile", Path.Combine(docs, "no-such.txt"));

        Assert.Equal(HttpStatusCode.Forbidden, existingOutside.Status);
        Assert.Equal((existingOutside.Status, existingOutside.Body.Replace("secret.txt", "X", StringComparison.Ordinal)),
            (missingOutside.Status, missingOutside.Body.Replace("no-such.txt", "X", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Forbidden, danglingOut.Status);
        Assert.Equal(HttpStatusCode.PreconditionFailed, danglingIn.Status);
        Assert.Equal(HttpStatusCode.PreconditionFailed, missingInside.Status);
    }

    [Fact(Timeout = 120_000)]
    public async Task Server_files_are_closed_unless_roots_are_named_for_them_even_with_a_mount()
    {
        Prepare();
        await using var worker = await WorkerHost.StartAsync(servers, settings => settings["Messaging:Enabled"] = "false", mountRoot: _root.FullName);
        using var http = worker.CreateHttpClient();

        var file = await GetAsync(http, "/scanFile", Path.Combine(_root.FullName, "docs", "clean.txt"));
        var walk = await GetAsync(http, "/scanPath", _root.FullName);

        Assert.Equal(HttpStatusCode.Forbidden, file.Status);
        Assert.Equal(HttpStatusCode.Forbidden, walk.Status);
    }

    private void Prepare()
    {
        var docs = Directory.CreateDirectory(Path.Combine(_root.FullName, "docs"));
        Directory.CreateDirectory(Path.Combine(_root.FullName, "clean-only"));
        File.WriteAllBytes(Path.Combine(docs.FullName, "clean.txt"), TestContent.CleanText);
        File.WriteAllBytes(Path.Combine(docs.FullName, "eicar.com"), TestContent.Eicar);
        File.WriteAllBytes(Path.Combine(_root.FullName, "clean-only", "a.txt"), TestContent.CleanText);
        File.WriteAllText(Path.Combine(_outside.FullName, "secret.txt"), "secret");
        File.CreateSymbolicLink(Path.Combine(docs.FullName, "escape.txt"), Path.Combine(_outside.FullName, "secret.txt"));
    }

    private Task<WorkerHost> StartAsync() => WorkerHost.StartAsync(servers, settings =>
    {
        settings["Messaging:Enabled"] = "false";
        settings["Http:ScanRoots:0"] = _root.FullName;
    });

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient http, string endpoint, string path)
    {
        using var response = await http.GetAsync($"{endpoint}?path={Uri.EscapeDataString(path)}", Token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Token));
    }

    public void Dispose()
    {
        _root.Delete(recursive: true);
        _outside.Delete(recursive: true);
    }
}
