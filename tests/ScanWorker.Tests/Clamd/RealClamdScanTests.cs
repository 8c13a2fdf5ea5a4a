using System.Security.Cryptography;
using ScanWorker.Clamd;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Clamd;

/// <summary>INSTREAM against the real clamd started by the fixture (test signatures, 1 MiB stream limit).</summary>
[RealServers]
public sealed class RealClamdScanTests(TestServers servers)
{
    private const string TestSignaturePrefix = "ScanWorker.Test.EICAR";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 60_000)]
    public async Task Clean_text_is_clean_with_its_byte_count_and_hash()
    {
        using var clamd = ClamdHarness.For((await servers.ClamdAsync()).Tcp);

        var result = await clamd.Client.ScanAsync(TestContent.CleanText, Token);

        Assert.IsType<ClamdReply.Clean>(result.Reply);
        Assert.True(result.StreamCompleted);
        Assert.Equal(TestContent.CleanText.Length, result.BytesSent);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(TestContent.CleanText)), result.Sha256);
    }

    [Fact(Timeout = 60_000)]
    public async Task Eicar_is_infected_with_the_test_signature()
    {
        using var clamd = ClamdHarness.For((await servers.ClamdAsync()).Tcp);

        var result = await clamd.Client.ScanAsync(TestContent.Eicar, Token);

        var infected = Assert.IsType<ClamdReply.Infected>(result.Reply);
        var signature = Assert.Single(infected.Signatures);
        Assert.StartsWith(TestSignaturePrefix, signature, StringComparison.Ordinal);
        Assert.EndsWith(".UNOFFICIAL", signature, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(TestContent.Eicar)), result.Sha256);
    }

    [Fact(Timeout = 60_000)]
    public async Task Eicar_inside_a_zip_is_infected()
    {
        using var clamd = ClamdHarness.For((await servers.ClamdAsync()).Tcp);
        var zip = TestContent.Zip("docs/readme.txt", TestContent.Eicar);

        var result = await clamd.Client.ScanAsync(zip, Token);

        var infected = Assert.IsType<ClamdReply.Infected>(result.Reply);
        Assert.StartsWith(TestSignaturePrefix, Assert.Single(infected.Signatures), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_stream_exactly_at_the_limit_is_scanned_and_clean()
    {
        var server = await servers.ClamdAsync();
        using var clamd = ClamdHarness.For(server.Tcp);

        var result = await clamd.Client.ScanPatternAsync(server.StreamMaxBytes, Token);

        Assert.IsType<ClamdReply.Clean>(result.Reply);
        Assert.True(result.StreamCompleted);
        Assert.Equal(server.StreamMaxBytes, result.BytesSent);
        Assert.Equal(await PatternSha256Async(server.StreamMaxBytes), result.Sha256);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_stream_one_byte_over_the_limit_is_too_large_with_clamds_reply_read()
    {
        var server = await servers.ClamdAsync();
        using var clamd = ClamdHarness.For(server.Tcp);

        var result = await clamd.Client.ScanPatternAsync(server.StreamMaxBytes + 1, Token);

        var tooLarge = Assert.IsType<ClamdReply.TooLarge>(result.Reply);
        Assert.Contains("INSTREAM size limit exceeded", tooLarge.Raw, StringComparison.Ordinal);
        // The extra byte is the last chunk, so whether the end-of-stream marker left before clamd's
        // answer arrived is a race; the answer itself is what decides.
        Assert.Equal(server.StreamMaxBytes + 1, result.BytesSent);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_far_larger_stream_is_cut_off_by_clamd_as_too_large()
    {
        var server = await servers.ClamdAsync();
        using var clamd = ClamdHarness.For(server.Tcp);

        var result = await clamd.Client.ScanPatternAsync(server.StreamMaxBytes * 20, Token);

        Assert.IsType<ClamdReply.TooLarge>(result.Reply);
        Assert.False(result.StreamCompleted);
        Assert.Null(result.Sha256);
        Assert.True(result.BytesSent < server.StreamMaxBytes * 20, "the client must stop sending once clamd has answered");
    }

    [Fact(Timeout = 60_000)]
    public async Task An_empty_stream_is_scanned()
    {
        using var clamd = ClamdHarness.For((await servers.ClamdAsync()).Tcp);

        var result = await clamd.Client.ScanAsync([], Token);

        Assert.IsType<ClamdReply.Clean>(result.Reply);
        Assert.Equal(0, result.BytesSent);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(ReadOnlySpan<byte>.Empty)), result.Sha256);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_zip_whose_members_add_up_past_MaxScanSize_is_limits_exceeded_not_clean()
    {
        var server = await servers.ClamdAsync();
        using var clamd = ClamdHarness.For(server.Tcp);
        // Three members, each under MaxFileSize (= the stream limit), together over MaxScanSize (twice it);
        // they compress to a few KiB, so the stream itself is far under the limit.
        var member = (int)(server.StreamMaxBytes * 9 / 10);
        var zip = TestContent.Zip(("a.txt", new byte[member]), ("b.txt", new byte[member]), ("c.txt", new byte[member]));

        var result = await clamd.Client.ScanAsync(zip, Token);

        var limits = Assert.IsType<ClamdReply.LimitsExceeded>(result.Reply);
        Assert.Equal("Heuristics.Limits.Exceeded.MaxScanSize", limits.Signature);
    }

    [Fact(Timeout = 60_000)]
    public async Task Scans_work_over_the_unix_socket()
    {
        var socket = (await servers.ClamdAsync()).Socket;
        Assert.NotNull(socket);
        using var clamd = ClamdHarness.For(socket);

        var infected = await clamd.Client.ScanAsync(TestContent.Eicar, Token);
        var clean = await clamd.Client.ScanAsync(TestContent.CleanText, Token);

        Assert.IsType<ClamdReply.Infected>(infected.Reply);
        Assert.IsType<ClamdReply.Clean>(clean.Reply);
    }

    [Fact(Timeout = 60_000)]
    public async Task Chunk_size_is_configurable_and_does_not_change_the_verdict()
    {
        using var clamd = ClamdHarness.For((await servers.ClamdAsync()).Tcp, options => options.ChunkSize = 1024);
        var content = TestContent.Zip("a.txt", TestContent.Eicar).Concat(new byte[10_000]).ToArray();

        var result = await clamd.Client.ScanAsync(content, Token);

        Assert.IsType<ClamdReply.Infected>(result.Reply);
        Assert.Equal(content.Length, result.BytesSent);
    }

    private static async Task<string> PatternSha256Async(long length)
    {
        await using var stream = TestContent.Pattern(length);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, Token));
    }
}
