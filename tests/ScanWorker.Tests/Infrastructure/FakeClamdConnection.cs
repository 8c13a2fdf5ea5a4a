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

    /// <summary>Reads one <c>z</c> command and returns it without the <c>z</c> and the NUL.</summary>
    public async Task<string> ReadCommandAsync(CancellationToken cancellationToken)
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

    /// <summary>Sends raw bytes, e.g. a reply with or without its NUL.</summary>
    public async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(text), cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    /// <summary>Sends a complete NUL-terminated reply.</summary>
    public Task ReplyAsync(string reply, CancellationToken cancellationToken) => SendAsync(reply + "\0", cancellationToken);

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
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
