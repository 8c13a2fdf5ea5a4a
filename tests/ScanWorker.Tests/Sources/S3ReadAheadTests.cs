using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScanWorker.Contracts;
using ScanWorker.Sources;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Sources;

/// <summary>
/// Objects are opened ahead of clamd's slots with a GET of their first part only: a small object is whole in one
/// round trip, a larger one fetches the rest when its scan gets there, pinned to the ETag of the first part. On both
/// real S3 servers of the fixture: s3rver and Ceph RGW, which answer ranges on empty objects differently.
/// </summary>
[RealServers]
public sealed class S3ReadAheadTests(TestServers servers)
{
    private const int FirstPart = (int)S3ScanSource.FirstPartBytes;
    private const long MaxBytes = 64L * 1024 * 1024;

    [Theory(Timeout = 120_000)]
    [InlineData("s3rver", 0)]
    [InlineData("s3rver", 1)]
    [InlineData("s3rver", FirstPart - 1)]
    [InlineData("s3rver", FirstPart)]
    [InlineData("s3rver", FirstPart + 1)]
    [InlineData("s3rver", (3 * FirstPart) + 12_345)]
    [InlineData("ceph-rgw", 0)]
    [InlineData("ceph-rgw", FirstPart)]
    [InlineData("ceph-rgw", FirstPart + 1)]
    public async Task An_object_reads_byte_for_byte_whole_from_one_GET_up_to_the_first_part_and_from_two_beyond(string store, int length)
    {
        var (source, server) = await SourceAsync(store);
        var content = Bytes(length);
        var key = $"read-ahead/{Guid.NewGuid():N}/object-{length}.bin";
        await S3Objects.PutAtAsync(server, key, content);

        await using var opened = await source.OpenAsync(Target(key), MaxBytes, TestContext.Current.CancellationToken);

        Assert.Equal(length > FirstPart, opened.Content is SequentialStream);
        Assert.Equal(length, opened.Length);
        Assert.Equal(content, await ReadAllAsync(opened.Content));
    }

    [Fact(Timeout = 120_000)]
    public async Task The_limit_is_judged_on_the_whole_object_before_its_body_is_read()
    {
        var (source, server) = await SourceAsync();
        var key = $"read-ahead/{Guid.NewGuid():N}/too-large.bin";
        await S3Objects.PutAtAsync(server, key, Bytes(FirstPart + 10));

        var refused = await Assert.ThrowsAsync<ScanSourceException>(() =>
            source.OpenAsync(Target(key), FirstPart + 9, TestContext.Current.CancellationToken));

        Assert.Equal(ScanErrorReason.TooLarge, refused.Reason);
        Assert.Contains($"is {FirstPart + 10} bytes", refused.Message, StringComparison.Ordinal);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("s3rver")]
    [InlineData("ceph-rgw")]
    public async Task An_object_replaced_after_its_first_part_is_Changed_never_a_mix_of_two_objects(string store)
    {
        var (source, server) = await SourceAsync(store);
        var key = $"read-ahead/{Guid.NewGuid():N}/replaced.bin";
        await S3Objects.PutAtAsync(server, key, Bytes(2 * FirstPart, seed: 1));

        await using var opened = await source.OpenAsync(Target(key), MaxBytes, TestContext.Current.CancellationToken);
        await S3Objects.PutAtAsync(server, key, Bytes(2 * FirstPart, seed: 2));

        var changed = await Assert.ThrowsAsync<ScanSourceException>(() => ReadAllAsync(opened.Content));
        Assert.Equal(ScanErrorReason.Changed, changed.Reason);
    }

    [Fact(Timeout = 120_000)]
    public async Task An_object_deleted_after_its_first_part_is_NotFound()
    {
        var (source, server) = await SourceAsync();
        var key = $"read-ahead/{Guid.NewGuid():N}/deleted.bin";
        await S3Objects.PutAtAsync(server, key, Bytes(2 * FirstPart));

        await using var opened = await source.OpenAsync(Target(key), MaxBytes, TestContext.Current.CancellationToken);
        using (var s3 = S3Objects.Client(server))
        {
            await s3.DeleteObjectAsync(S3Objects.Bucket, key, TestContext.Current.CancellationToken);
        }

        var gone = await Assert.ThrowsAsync<ScanSourceException>(() => ReadAllAsync(opened.Content));
        Assert.Equal(ScanErrorReason.NotFound, gone.Reason);
    }

    private async Task<(S3ScanSource Source, S3Server Server)> SourceAsync(string store = "s3rver")
    {
        var server = store == "ceph-rgw" ? (await servers.CephRgwAsync()).S3 : await servers.S3Async();
        var services = new ServiceCollection().AddSingleton<IAmazonS3>(S3Objects.Client(server)).BuildServiceProvider();
        var access = new S3Access(services, Options.Create(new S3Options { ServiceUrl = server.ServiceUrl.ToString() }));
        return (new S3ScanSource(access), server);
    }

    private static ScanTarget Target(string key) => new() { Bucket = S3Objects.Bucket, Key = key };

    private static byte[] Bytes(int length, int seed = 0)
    {
        var content = new byte[length];
        new Random(seed).NextBytes(content);
        return content;
    }

    private static async Task<byte[]> ReadAllAsync(Stream content)
    {
        await using var copy = new MemoryStream();
        await content.CopyToAsync(copy, TestContext.Current.CancellationToken);
        return copy.ToArray();
    }
}
