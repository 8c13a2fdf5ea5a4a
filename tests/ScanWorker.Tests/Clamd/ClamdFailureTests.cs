using System.Diagnostics;
using ScanWorker.Clamd;
using ScanWorker.Sources;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Clamd;

/// <summary>What a clamd that is down, hangs, lies or breaks mid-reply does to a scan: never a clean verdict.</summary>
public sealed class ClamdFailureTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 30_000)]
    public async Task A_clamd_that_is_down_is_unavailable_at_connect()
    {
        using var clamd = ClamdHarness.For(ClamdAddress.Tcp("127.0.0.1", FreePort.Next()));

        var error = await Assert.ThrowsAsync<ClamdUnavailableException>(
            () => clamd.Client.ScanAsync(TestContent.CleanText, Token));

        Assert.Equal(ClamdPhase.Connect, error.Phase);
        Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_missing_unix_socket_is_unavailable()
    {
        using var clamd = ClamdHarness.For(ClamdAddress.Unix(Path.Combine(Path.GetTempPath(), $"no-clamd-{Guid.NewGuid():N}.sock")),
            options => options.MaxConcurrentScans = 1);

        await Assert.ThrowsAsync<ClamdUnavailableException>(() => clamd.Client.PingAsync(Token));
        await Assert.ThrowsAsync<ClamdUnavailableException>(
            () => clamd.Client.ScanAsync(TestContent.CleanText, Token));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_clamd_that_accepts_and_never_answers_times_out_within_the_scan_timeout()
    {
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            await connection.ReadCommandAsync(stop);
            await connection.HoldSilentlyAsync(stop);
        });
        var scanTimeout = TimeSpan.FromMilliseconds(700);
        using var clamd = ClamdHarness.For(fake.Address, options =>
        {
            options.MaxConcurrentScans = 1;
            options.IdleTimeout = TimeSpan.FromMilliseconds(300);
            options.ScanTimeout = scanTimeout;
        });

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ClamdTimeoutException>(
            () => clamd.Client.ScanAsync(TestContent.CleanText, Token));

        Assert.Equal(ClamdPhase.AwaitReply, error.Phase);
        // Timers may fire a tick early; the upper bound is what matters: the scan did not hang.
        Assert.InRange(clock.Elapsed, scanTimeout - TimeSpan.FromMilliseconds(50), scanTimeout + TimeSpan.FromSeconds(10));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_clamd_that_stops_reading_trips_the_idle_timeout_while_sending()
    {
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            await connection.ReadCommandAsync(stop);
            await Task.Delay(Timeout.Infinite, stop);
        });
        using var clamd = ClamdHarness.For(fake.Address, options =>
        {
            options.MaxConcurrentScans = 1;
            options.IdleTimeout = TimeSpan.FromMilliseconds(300);
            options.ScanTimeout = TimeSpan.FromSeconds(20);
        });

        var error = await Assert.ThrowsAsync<ClamdTimeoutException>(
            () => clamd.Client.ScanPatternAsync(256L * 1024 * 1024, Token));

        Assert.Equal(ClamdPhase.SendStream, error.Phase);
        Assert.Contains("idle", error.Message, StringComparison.Ordinal);
        Assert.True(error.BytesSent > 0);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_source_that_stalls_trips_the_idle_timeout_while_reading_it()
    {
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            await connection.ReadCommandAsync(stop);
            await connection.HoldSilentlyAsync(stop);
        });
        using var clamd = ClamdHarness.For(fake.Address, options =>
        {
            options.MaxConcurrentScans = 1;
            options.IdleTimeout = TimeSpan.FromMilliseconds(300);
            options.ScanTimeout = TimeSpan.FromSeconds(20);
        });

        var error = await Assert.ThrowsAsync<ClamdTimeoutException>(() => clamd.Client.ScanAsync(new StallingStream(), Token));

        Assert.Equal(ClamdPhase.ReadSource, error.Phase);
    }

    [Fact(Timeout = 30_000)]
    public async Task Cancellation_by_the_caller_is_not_a_timeout_and_carries_the_callers_token()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            await connection.ReadCommandAsync(stop);
            received.TrySetResult();
            await connection.HoldSilentlyAsync(stop);
        });
        using var clamd = ClamdHarness.For(fake.Address, options => options.MaxConcurrentScans = 1);
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var scan = clamd.Client.ScanAsync(TestContent.CleanText, caller.Token);
        await received.Task.WaitAsync(Token);
        await caller.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scan);
        Assert.Equal(caller.Token, error.CancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_clamd_that_closes_mid_reply_is_a_protocol_error_never_clean()
    {
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            await connection.ReadCommandAsync(stop);
            await connection.ReadInStreamAsync(stop);
            await connection.SendAsync("stream: O", stop);
        });
        using var clamd = ClamdHarness.For(fake.Address, options => options.MaxConcurrentScans = 1);

        var error = await Assert.ThrowsAsync<ClamdProtocolException>(
            () => clamd.Client.ScanAsync(TestContent.CleanText, Token));

        Assert.Contains("stream: O", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_clamd_that_closes_without_any_reply_is_unavailable()
    {
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            await connection.ReadCommandAsync(stop);
            await connection.ReadInStreamAsync(stop);
        });
        using var clamd = ClamdHarness.For(fake.Address, options => options.MaxConcurrentScans = 1);

        var error = await Assert.ThrowsAsync<ClamdUnavailableException>(
            () => clamd.Client.ScanAsync(TestContent.CleanText, Token));

        Assert.Equal(ClamdPhase.AwaitReply, error.Phase);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_connection_reset_mid_stream_is_unavailable()
    {
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            await connection.ReadCommandAsync(stop);
            connection.Reset();
            await Task.CompletedTask;
        });
        using var clamd = ClamdHarness.For(fake.Address, options => options.MaxConcurrentScans = 1);

        var error = await Assert.ThrowsAsync<ClamdUnavailableException>(
            () => clamd.Client.ScanPatternAsync(64L * 1024 * 1024, Token));

        Assert.True(error.Phase is ClamdPhase.SendStream or ClamdPhase.AwaitReply, $"phase {error.Phase}");
    }

    [Fact(Timeout = 30_000)]
    public async Task An_OK_before_the_stream_ended_is_a_lie_and_never_clean()
    {
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            await connection.ReadCommandAsync(stop);
            await connection.ReplyAsync("stream: OK", stop);
            await connection.HoldSilentlyAsync(stop);
        });
        using var clamd = ClamdHarness.For(fake.Address, options => options.MaxConcurrentScans = 1);

        await Assert.ThrowsAsync<ClamdProtocolException>(() => clamd.Client.ScanPatternAsync(64L * 1024 * 1024, Token));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_size_limit_reply_sent_mid_stream_is_reported_as_too_large_even_though_the_write_breaks()
    {
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            await connection.ReadCommandAsync(stop);
            await connection.ReplyAsync("INSTREAM size limit exceeded. ERROR", stop);
            connection.Reset();
        });
        using var clamd = ClamdHarness.For(fake.Address, options => options.MaxConcurrentScans = 1);

        var result = await clamd.Client.ScanPatternAsync(64L * 1024 * 1024, Token);

        Assert.IsType<ClamdReply.TooLarge>(result.Reply);
        Assert.False(result.StreamCompleted);
        Assert.Null(result.Sha256);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_reply_clamd_never_sends_is_unparseable_not_clean()
    {
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            await connection.ReadCommandAsync(stop);
            await connection.ReadInStreamAsync(stop);
            await connection.ReplyAsync("stream: probably fine", stop);
        });
        using var clamd = ClamdHarness.For(fake.Address, options => options.MaxConcurrentScans = 1);

        var result = await clamd.Client.ScanAsync(TestContent.CleanText, Token);

        Assert.IsType<ClamdReply.Unparseable>(result.Reply);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_ping_answered_with_anything_but_PONG_is_a_protocol_error()
    {
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            await connection.ReadCommandAsync(stop);
            await connection.ReplyAsync("PANG", stop);
        }, answerPing: false);
        using var clamd = ClamdHarness.For(fake.Address);

        await Assert.ThrowsAsync<ClamdProtocolException>(() => clamd.Client.PingAsync(Token));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_source_that_fails_mid_stream_surfaces_its_own_error_not_a_clamd_one()
    {
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            await connection.ReadCommandAsync(stop);
            await connection.HoldSilentlyAsync(stop);
        });
        using var clamd = ClamdHarness.For(fake.Address, options => options.MaxConcurrentScans = 1);

        var error = await Assert.ThrowsAsync<IOException>(() => clamd.Client.ScanAsync(new BreakingStream(), Token));

        Assert.Equal("the download broke", error.Message);
        Assert.Equal(0, clamd.Slots.InFlight);
    }

    /// <summary>Yields a chunk, then fails, like a download whose connection dropped.</summary>
    private sealed class BreakingStream : ReadOnlyForwardStream
    {
        private bool _sent;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_sent)
            {
                throw new IOException("the download broke");
            }

            _sent = true;
            buffer.Span.Fill((byte)'x');
            return ValueTask.FromResult(buffer.Length);
        }
    }

    /// <summary>Yields a few bytes, then never again (until canceled), like a stuck download.</summary>
    private sealed class StallingStream : ReadOnlyForwardStream
    {
        private bool _sent;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_sent)
            {
                _sent = true;
                buffer.Span[0] = (byte)'x';
                return 1;
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
    }
}
