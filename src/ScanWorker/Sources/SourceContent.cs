namespace ScanWorker.Sources;

/// <summary>An opened object: a forward-only stream and, when the source knows it, its length. Owns both.</summary>
public sealed class SourceContent : IAsyncDisposable, IDisposable
{
    private readonly IDisposable? _owner;

    public SourceContent(Stream content, long? length, IDisposable? owner = null)
    {
        Content = content;
        Length = length;
        _owner = owner;
    }

    public Stream Content { get; }

    /// <summary>The object's length as the source states it; a clean verdict needs this many bytes streamed.</summary>
    public long? Length { get; }

    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync();
        _owner?.Dispose();
    }

    public void Dispose()
    {
        Content.Dispose();
        _owner?.Dispose();
    }
}
