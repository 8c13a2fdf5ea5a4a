using ScanWorker.Contracts;
using ScanWorker.Sources;

namespace ScanWorker.Tests.Sources;

public sealed class OpenOnFirstReadStreamTests
{
    [Fact(Timeout = 10_000)]
    public async Task Nothing_is_opened_until_the_first_read_and_then_only_once()
    {
        var opens = 0;
        var owner = new Owner();
        await using var stream = new OpenOnFirstReadStream(_ =>
        {
            opens++;
            return Task.FromResult(new SourceContent(new MemoryStream([1, 2, 3, 4, 5]), 5, owner));
        });
        Assert.Equal(0, opens);

        var buffer = new byte[3];
        var first = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken);
        var second = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken);
        var end = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken);

        Assert.Equal((1, 3, 2, 0), (opens, first, second, end));
        Assert.Equal([4, 5], buffer[..2]);
        Assert.False(owner.Disposed);
    }

    [Fact(Timeout = 10_000)]
    public async Task Disposing_disposes_what_was_opened_and_an_unread_stream_opens_nothing()
    {
        var owner = new Owner();
        var read = new OpenOnFirstReadStream(_ => Task.FromResult(new SourceContent(new MemoryStream([1]), 1, owner)));
        _ = await read.ReadAsync(new byte[1], TestContext.Current.CancellationToken);
        await read.DisposeAsync();
        var opened = false;
        var unread = new OpenOnFirstReadStream(_ =>
        {
            opened = true;
            return Task.FromResult(new SourceContent(new MemoryStream(), 0));
        });
        await unread.DisposeAsync();

        Assert.True(owner.Disposed);
        Assert.False(opened);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => unread.ReadAsync(new byte[1], 0, 1, TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_failed_open_surfaces_on_the_read_with_the_callers_token()
    {
        using var cancelled = new CancellationTokenSource();
        CancellationToken seen = default;
        await using var stream = new OpenOnFirstReadStream(token =>
        {
            seen = token;
            throw new ScanSourceException(ScanErrorReason.Changed, "replaced");
        });

        var failure = await Assert.ThrowsAsync<ScanSourceException>(() => stream.ReadAsync(new byte[1], cancelled.Token).AsTask());

        Assert.Equal(ScanErrorReason.Changed, failure.Reason);
        Assert.Equal(cancelled.Token, seen);
        Assert.Throws<NotSupportedException>(() => stream.Read(new byte[1], 0, 1));
    }

    private sealed class Owner : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
