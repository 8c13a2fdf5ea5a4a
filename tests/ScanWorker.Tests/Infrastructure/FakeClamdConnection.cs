using System.Net.Sockets;
using System.Text;
using ScanWorker.Clamd;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>One client connection of <see cref="FakeClamd"/>, with the protocol steps a script needs.</summary>
internal sealed class FakeClamdConnection(Socket socket, bool answerPing) : IAsyncDisposable
{
    private readonly NetworkStream _stream = new(socket, ownsSocket: true);

    /// <summary>Ends a script's connection after the fake answered the worker's heartbeat PING by itself.</summary>
    internal sealed class PingAnswered : Exception;

    /// <summary>
    /// Reads one <c>z</c> command and returns it without the <c>z</c> and the NUL. An IDSESSION in front of it is taken
    /// as clamd takes it: the connection becomes a session, and every reply from then on carries its request's id.
    /// </summary>
    public async Task<string> ReadCommandAsync(CancellationToken cancellationToken)
    {
        var command = await ReadOneCommandAsync(cancellationToken);
        if (command == "IDSESSION" && RequestId is null)
        {
            RequestId = 0;
            command = await ReadOneCommandAsync(cancellationToken);
        }

        if (RequestId is not null)
        {
            RequestId++;
        }

        _answered = false;
        return command;
    }

    /// <summary>In a session, the id of the command being answered; null on a one-shot connection.</summary>
    public int? RequestId { get; private set; }

    /// <summary>
    /// A session whose last command the script answered in full stays open for the next, as clamd keeps it; a script
    /// that answered nothing, or part of a reply, or reset the connection, ends it.
    /// </summary>
    public bool ServesAnotherCommand => RequestId is not null && _answered && !_closed;

    private bool _answered;
    private bool _closed;

    private async Task<string> ReadOneCommandAsync(CancellationToken cancellationToken)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await _stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new EndOfStreamException("client closed before sending a command");
            }

            if (one[0] == 0)
            {
                var text = Encoding.ASCII.GetString([.. bytes]);
                var command = text.StartsWith('z') ? text[1..] : text;
                if (answerPing && command == "PING")
                {
                    await ReplyAsync("PONG", cancellationToken);
                    throw new PingAnswered();
                }

                return command;
            }

            bytes.Add(one[0]);
        }
    }

    /// <summary>Consumes INSTREAM chunks up to the zero-length one; returns the content bytes received.</summary>
    public async Task<long> ReadInStreamAsync(CancellationToken cancellationToken)
    {
        long total = 0;
        while (await ReadChunkAsync(cancellationToken) is var length and > 0)
        {
            total += length;
        }

        return total;
    }

    /// <summary>Consumes one INSTREAM chunk and returns its length (0 for the end marker).</summary>
    public async Task<uint> ReadChunkAsync(CancellationToken cancellationToken)
    {
        var header = new byte[ClamdFraming.ChunkHeaderSize];
        await _stream.ReadExactlyAsync(header, cancellationToken);
        var length = ClamdFraming.ReadChunkHeader(header);
        var sink = new byte[64 * 1024];
        var remaining = (long)length;
        while (remaining > 0)
        {
            var read = await _stream.ReadAsync(sink.AsMemory(0, (int)Math.Min(sink.Length, remaining)), cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException("client closed mid-chunk");
            }

            remaining -= read;
        }

        return length;
    }

    /// <summary>Sends the start of a reply (or all of it, without its NUL), numbered as clamd numbers it in a session.</summary>
    public Task SendAsync(string text, CancellationToken cancellationToken) =>
        SendRawAsync(RequestId is { } id ? $"{id}: {text}" : text, cancellationToken);

    /// <summary>Sends exactly these bytes, session or not.</summary>
    public async Task SendRawAsync(string text, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(text), cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    /// <summary>Sends a complete NUL-terminated reply.</summary>
    public async Task ReplyAsync(string reply, CancellationToken cancellationToken)
    {
        await SendAsync(reply + "\0", cancellationToken);
        _answered = true;
    }

    /// <summary>Waits until the client goes away (or the fake stops), answering nothing.</summary>
    public async Task HoldSilentlyAsync(CancellationToken cancellationToken)
    {
        var sink = new byte[64 * 1024];
        while (await _stream.ReadAsync(sink, cancellationToken) > 0)
        {
        }
    }

    /// <summary>Closes the connection with a reset (RST), as a crashing clamd would.</summary>
    public void Reset()
    {
        _closed = true;
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
