using System.Diagnostics;
using ScanWorker.Contracts;
using ScanWorker.Sources;

namespace ScanWorker.Tests.Sources;

/// <summary>The mount root on a real filesystem: what resolves inside it, and what is refused.</summary>
public sealed class MountPathResolverTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("scanworker-root-");
    private readonly DirectoryInfo _outside = Directory.CreateTempSubdirectory("scanworker-outside-");
    private readonly MountPathResolver _resolver;

    public MountPathResolverTests()
    {
        Directory.CreateDirectory(Path.Combine(_root.FullName, "in", "sub dir"));
        File.WriteAllText(Path.Combine(_root.FullName, "in", "sub dir", "file ü.txt"), "inside");
        File.WriteAllText(Path.Combine(_outside.FullName, "secret.txt"), "outside");
        File.CreateSymbolicLink(Path.Combine(_root.FullName, "in", "escape.txt"), Path.Combine(_outside.FullName, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(_root.FullName, "in", "escape-dir"), _outside.FullName);
        File.CreateSymbolicLink(Path.Combine(_root.FullName, "in", "inner-link.txt"), Path.Combine(_root.FullName, "in", "sub dir", "file ü.txt"));
        File.CreateSymbolicLink(Path.Combine(_root.FullName, "in", "device"), "/dev/zero");
        _resolver = new MountPathResolver(_root.FullName);
    }

    [Fact]
    public void A_link_out_of_the_root_is_refused_alike_whether_its_target_exists_or_not()
    {
        File.CreateSymbolicLink(Path.Combine(_root.FullName, "in", "dangling-out.txt"), Path.Combine(_outside.FullName, "no-such.txt"));
        File.CreateSymbolicLink(Path.Combine(_root.FullName, "in", "dangling-in.txt"), Path.Combine(_root.FullName, "in", "no-such.txt"));

        var existing = Assert.Throws<ScanSourceException>(() => _resolver.Resolve("in/escape-dir/secret.txt"));
        var missing = Assert.Throws<ScanSourceException>(() => _resolver.Resolve("in/escape-dir/no-such.txt"));
        var danglingOut = Assert.Throws<ScanSourceException>(() => _resolver.Resolve("in/dangling-out.txt"));
        var danglingIn = Assert.Throws<ScanSourceException>(() => _resolver.Resolve("in/dangling-in.txt"));
        var missingInside = Assert.Throws<ScanSourceException>(() => _resolver.Resolve("in/no-such.txt"));

        Assert.Equal(ScanErrorReason.InvalidRequest, existing.Reason);
        Assert.Equal((existing.Reason, existing.Message.Replace("secret.txt", "X", StringComparison.Ordinal)),
            (missing.Reason, missing.Message.Replace("no-such.txt", "X", StringComparison.Ordinal)));
        Assert.Equal(ScanErrorReason.InvalidRequest, danglingOut.Reason);
        Assert.Equal(ScanErrorReason.NotFound, danglingIn.Reason);
        Assert.Equal(ScanErrorReason.NotFound, missingInside.Reason);
    }

    [Theory]
    [InlineData("in/sub dir/file ü.txt")]
    [InlineData("in/./sub dir/file ü.txt")]
    [InlineData("in//sub dir/file ü.txt")]
    [InlineData("in/inner-link.txt")]
    public void Files_inside_the_root_resolve_to_their_real_path(string path)
    {
        Assert.Equal(Path.Combine(_resolver.Root, "in", "sub dir", "file ü.txt"), _resolver.Resolve(path).RealPath);
    }

    [Theory]
    [InlineData("/etc/passwd", "relative")]
    [InlineData("../outside.txt", "'..'")]
    [InlineData("in/../../etc/passwd", "'..'")]
    [InlineData("in/escape.txt", "outside the mount root")]
    [InlineData("in/escape-dir/secret.txt", "outside the mount root")]
    [InlineData("in/device", "outside the mount root")]
    [InlineData("in", "directory")]
    [InlineData("in/sub dir", "directory")]
    [InlineData("in/new\nline.txt", "control characters")]
    [InlineData("", "empty")]
    public void Escapes_directories_devices_and_odd_names_are_invalid_requests(string path, string because)
    {
        var error = Assert.Throws<ScanSourceException>(() => _resolver.Resolve(path));

        Assert.Equal(ScanErrorReason.InvalidRequest, error.Reason);
        Assert.Contains(because, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fifo_inside_the_root_is_refused_without_opening_it()
    {
        var fifo = Path.Combine(_root.FullName, "in", "pipe");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit(TimeSpan.FromSeconds(10));
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var error = Assert.Throws<ScanSourceException>(() => _resolver.Resolve("in/pipe"));

        Assert.Equal(ScanErrorReason.InvalidRequest, error.Reason);
        Assert.Contains("not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("in/missing.txt")]
    [InlineData("missing-dir/file.txt")]
    [InlineData("in/sub dir/file ü.txt/below-a-file")]
    public void Missing_files_are_not_found(string path)
    {
        var error = Assert.Throws<ScanSourceException>(() => _resolver.Resolve(path));

        Assert.Equal(ScanErrorReason.NotFound, error.Reason);
    }

    public void Dispose()
    {
        _root.Delete(recursive: true);
        _outside.Delete(recursive: true);
    }
}
