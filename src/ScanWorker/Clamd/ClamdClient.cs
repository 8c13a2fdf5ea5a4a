using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace ScanWorker.Clamd;

/// <inheritdoc />
public sealed class ClamdClient : IClamdClient, IDisposable
{
    // Generous for STATS with a long task list; a scan reply is one short line.
    private const int MaxCommandReplyBytes = 256 * 1024;

    private readonly ClamdOptions _options;
    private readonly ClamdScanSlots _slots;
    private readonly TimeProvider _time;
    private readonly ClamdSessionPool? _sessions;

    public ClamdClient(IOptions<ClamdOptions> options, ClamdScanSlots slots, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _slots = slots;
        _time = time;
        Address = ClamdAddress.Parse(_options.Address);
        _sessions = _options.ReuseConnections ? new ClamdSessionPool(time) : null;
    }

    public ClamdAddress Address { get; }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        var reply = await ExecuteAsync(ClamdFraming.Ping, cancellationToken);
        if (reply != "PONG")
        {
            throw new ClamdProtocolException($"clamd at {Address} answered PING with '{reply}'.", Address, ClamdPhase.AwaitReply, 0, null);
        }
    }

    public async Task<ClamdVersion> GetVersionAsync(CancellationToken cancellationToken)
    {
        var reply = await ExecuteAsync(ClamdFraming.Version, cancellationToken);
        return ClamdVersion.TryParse(reply, out var version)
            ? version!
            : throw new ClamdProtocolException($"clamd at {Address} answered VERSION with '{reply}'.", Address, ClamdPhase.AwaitReply, 0, null);
    }

    public async Task<ClamdStats> GetStatsAsync(CancellationToken cancellationToken)
    {
        var reply = await ExecuteAsync(ClamdFraming.Stats, cancellationToken);
        return ClamdStats.TryParse(reply, out var stats)
            ? stats!
            : throw new ClamdProtocolException($"clamd at {Address} answered STATS with '{reply}'.", Address, ClamdPhase.AwaitReply, 0, null);
    }

    public async Task<int> GetScanCapacityAsync(CancellationToken cancellationToken) =>
        await _slots.GetCapacityAsync(GetStatsAsync, cancellationToken);

    public async Task<ClamdAnswer> ScanAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanRead)
        {
            throw new ArgumentException("The content stream is not readable.", nameof(content));
        }

        using var slot = await _slots.AcquireAsync(GetStatsAsync, cancellationToken);
        var started = _time.GetTimestamp();
        using var operation = Begin(_options.ScanTimeout, cancellationToken);
        ClamdConnection? connection = null;
        try
        {
            connection = _sessions?.TryTake() ?? await OpenAsync(operation, session: _sessions is not null);
            var command = connection.BeginInStream();
            var transfer = new InStreamTransfer(connection.Socket, content, _options.ChunkSize, operation, command, connection.RequestId);
            var (reply, bytesSent, completed, sha256) = await transfer.RunAsync();
            // Only a verdict leaves a session in a known state; after anything else clamd may have closed it.
            if (connection.IsSession && !connection.IsWorn && completed
                && reply is ClamdReply.Clean or ClamdReply.Infected or ClamdReply.LimitsExceeded)
            {
                _sessions!.Return(connection);
                connection = null;
            }

            return new ClamdAnswer(reply, bytesSent, completed, sha256, _time.GetElapsedTime(started));
        }
        catch (Exception exception) when (operation.TryTranslate(exception, out var translated))
        {
            throw translated;
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private async Task<string> ExecuteAsync(ReadOnlyMemory<byte> command, CancellationToken cancellationToken)
    {
        using var operation = Begin(_options.CommandTimeout, cancellationToken);
        try
        {
            using var connection = await OpenAsync(operation, session: false);
            await using var stream = new NetworkStream(connection.Socket, ownsSocket: false);
            operation.Enter(ClamdPhase.SendCommand);
            await stream.WriteAsync(command, operation.Token);
            operation.Enter(ClamdPhase.AwaitReply);
            return await ClamdReplyReader.ReadAsync(stream, MaxCommandReplyBytes, operation.Token);
        }
        catch (Exception exception) when (operation.TryTranslate(exception, out var translated))
        {
            throw translated;
        }
    }

    private ClamdOperation Begin(TimeSpan deadline, CancellationToken cancellationToken) =>
        new(Address, new ClamdTimeouts(_options.ConnectTimeout, _options.IdleTimeout, deadline), _time, cancellationToken);

    private async Task<ClamdConnection> OpenAsync(ClamdOperation operation, bool session)
    {
        var connection = new ClamdConnection(Address, session);
        try
        {
            await connection.Socket.ConnectAsync(Address.ToEndPoint(), operation.Token);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose() => _sessions?.Dispose();
}
