using System.Buffers;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace ScanWorker.Clamd;

/// <summary>
/// One INSTREAM on an open connection. clamd checks its StreamMaxLength at each chunk header and, when
/// it is passed, answers <c>INSTREAM size limit exceeded. ERROR</c> and closes the socket while we are
/// still writing. A client that writes everything before reading sees only a broken pipe, so the reply
/// is read concurrently from the start, sending stops as soon as it arrives, and a failed write is
/// followed by collecting whatever clamd said. Inside an IDSESSION (<paramref name="sessionRequestId"/>) the reply
/// must carry the id of this scan; <paramref name="command"/> is the INSTREAM command (with IDSESSION in front of it
/// on a new session's first scan).
/// </summary>
internal sealed class InStreamTransfer(
    Socket socket, Stream content, int chunkSize, ClamdOperation operation, ReadOnlyMemory<byte> command, int? sessionRequestId)
{
    // A scan reply is one line: "stream: <signature> FOUND".
    private const int MaxReplyBytes = 4096;

    public async Task<(ClamdReply Reply, long BytesSent, bool Completed, string? Sha256)> RunAsync()
    {
        await using var network = new NetworkStream(socket, ownsSocket: false);
        operation.Enter(ClamdPhase.SendCommand);
        await network.WriteAsync(command, operation.Token);
        operation.Progress();

        using var replyArrived = CancellationTokenSource.CreateLinkedTokenSource(operation.Token);
        var replyTask = ReadReplyAsync(network, replyArrived);
        Sent sent;
        try
        {
            sent = await SendAsync(network, replyTask, replyArrived.Token);
        }
        catch
        {
            // The source failed, or our timer fired: abandon the connection, but observe the reader first.
            Abandon();
            await replyArrived.CancelAsync();
            await ((Task)replyTask).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        if (sent.Completed)
        {
            operation.AwaitReplyWithoutIdleTimeout();
        }
        else
        {
            operation.Enter(ClamdPhase.AwaitReply);
        }

        string line;
        try
        {
            line = await replyTask;
        }
        catch (EndOfStreamException) when (sent.WriteFailure is not null)
        {
            throw operation.Unavailable(sent.WriteFailure);
        }

        var reply = ClamdReplyParser.ParseScanReply(TakeOwnReply(line));
        if (!sent.Completed && reply is not (ClamdReply.TooLarge or ClamdReply.Failed))
        {
            throw operation.ProtocolViolation($"clamd answered '{line}' before the stream ended");
        }

        return (reply, sent.Bytes, sent.Completed, sent.Completed ? sent.Sha256 : null);
    }

    private string TakeOwnReply(string line)
    {
        if (sessionRequestId is not { } id)
        {
            return line;
        }

        return ClamdReplyParser.TryTakeSessionReply(line, id, out var reply)
            ? reply
            : throw operation.ProtocolViolation($"clamd answered '{line}' in a session where the reply to request {id} was due");
    }

    // Shutting down wakes the reader; a socket that is already gone needs nothing more, and the original
    // failure is what the caller must see.
    private void Abandon()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    // Completing (with a reply or a failure) cancels replyArrived, which stops the sender.
    private static async Task<string> ReadReplyAsync(NetworkStream network, CancellationTokenSource replyArrived)
    {
        try
        {
            return await ClamdReplyReader.ReadAsync(network, MaxReplyBytes, replyArrived.Token);
        }
        finally
        {
            await replyArrived.CancelAsync();
        }
    }

    private async Task<Sent> SendAsync(NetworkStream network, Task<string> replyTask, CancellationToken sendToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ClamdFraming.ChunkHeaderSize + chunkSize);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes = 0;
        try
        {
            while (!replyTask.IsCompleted)
            {
                operation.Enter(ClamdPhase.ReadSource);
                var length = await FillChunkAsync(buffer.AsMemory(ClamdFraming.ChunkHeaderSize, chunkSize), sendToken);
                if (length == 0)
                {
                    // Decide before the end marker leaves: once it has, clamd may answer at any moment,
                    // and that answer is the legitimate one.
                    if (replyTask.IsCompleted)
                    {
                        break;
                    }

                    operation.Enter(ClamdPhase.SendStream);
                    await network.WriteAsync(ClamdFraming.EndOfStream, sendToken);
                    return new Sent(bytes, Completed: true, Convert.ToHexStringLower(hash.GetCurrentHash()), null);
                }

                hash.AppendData(buffer, ClamdFraming.ChunkHeaderSize, length);
                ClamdFraming.WriteChunkHeader(buffer, length);
                operation.Enter(ClamdPhase.SendStream);
                await network.WriteAsync(buffer.AsMemory(0, ClamdFraming.ChunkHeaderSize + length), sendToken);
                bytes += length;
                operation.Progress(bytes);
            }

            return new Sent(bytes, Completed: false, null, null);
        }
        catch (OperationCanceledException) when (sendToken.IsCancellationRequested && !operation.Token.IsCancellationRequested)
        {
            return new Sent(bytes, Completed: false, null, null);
        }
        catch (IOException exception) when (operation.Phase == ClamdPhase.SendStream && !operation.Token.IsCancellationRequested)
        {
            // clamd closed or reset the connection; its reply, if it sent one, is with the reader.
            return new Sent(bytes, Completed: false, null, exception);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Fills the chunk as far as the source allows, so a source that returns small reads still makes
    // few, large chunks. Every read that returns bytes re-arms the idle timer.
    private async Task<int> FillChunkAsync(Memory<byte> chunk, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < chunk.Length)
        {
            var read = await content.ReadAsync(chunk[filled..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
            operation.Progress();
        }

        return filled;
    }

    private readonly record struct Sent(long Bytes, bool Completed, string? Sha256, IOException? WriteFailure);
}
