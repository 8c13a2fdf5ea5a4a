using ScanWorker.Clamd;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Clamd;

/// <summary>
/// Scans share IDSESSION connections (Clamd:ReuseConnections, on by default): a reply is taken only with its own
/// request's id, and a session in any doubt is closed rather than reused. The fakes here show what a real clamd will not
/// (a wrong id, a session dropped between scans); <see cref="RealClamdSessionTests"/> runs the same rules against clamd.
/// </summary>
public sealed class ClamdSessionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static FakeClamd AnsweringOk() => FakeClamd.Start(async (connection, stop) =>
    {
        await connection.ReadCommandAsync(stop);
        await connection.ReadInStreamAsync(stop);
        await connection.ReplyAsync("stream: OK", stop);
    });

    // The first scan gets the script; every later one is read in full and answered OK.
    private static FakeClamd FirstScanThenOk(Func<FakeClamdConnection, CancellationToken, Task> first)
    {
        var scans = 0;
        return FakeClamd.Start(async (connection, stop) =>
        {
            await connection.ReadCommandAsync(stop);
            if (Interlocked.Increment(ref scans) == 1)
            {
                await first(connection, stop);
                return;
            }

            await connection.ReadInStreamAsync(stop);
            await connection.ReplyAsync("stream: OK", stop);
        });
    }

    [Fact(Timeout = 30_000)]
    public async Task Scans_in_a_row_share_one_connection()
    {
        await using var fake = AnsweringOk();
        using var clamd = ClamdHarness.For(fake.Address, options => options.MaxConcurrentScans = 1);

        for (var i = 0; i < 3; i++)
        {
            var result = await clamd.Client.ScanAsync(TestContent.Unique(100), Token);
            Assert.IsType<ClamdReply.Clean>(result.Reply);
        }

        Assert.Equal(1, fake.Accepted);
    }

    [Fact(Timeout = 30_000)]
    public async Task With_ReuseConnections_off_each_scan_has_its_own_connection_and_no_session()
    {
        var sessions = 0;
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            await connection.ReadCommandAsync(stop);
            if (connection.RequestId is not null)
            {
                Interlocked.Increment(ref sessions);
            }

            await connection.ReadInStreamAsync(stop);
            await connection.ReplyAsync("stream: OK", stop);
        });
        using var clamd = ClamdHarness.For(fake.Address, options =>
        {
            options.MaxConcurrentScans = 1;
            options.ReuseConnections = false;
        });

        for (var i = 0; i < 3; i++)
        {
            Assert.IsType<ClamdReply.Clean>((await clamd.Client.ScanAsync(TestContent.Unique(100), Token)).Reply);
        }

        Assert.Equal((3, 0), (fake.Accepted, sessions));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("2: stream: OK")]
    [InlineData("stream: OK")]
    [InlineData("0: stream: OK")]
    [InlineData("11: stream: OK")]
    [InlineData(" 1: stream: OK")]
    public async Task A_reply_without_this_requests_id_is_a_protocol_error_never_clean(string reply)
    {
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            await connection.ReadCommandAsync(stop);
            await connection.ReadInStreamAsync(stop);
            await connection.SendRawAsync(reply + "\0", stop);
        });
        using var clamd = ClamdHarness.For(fake.Address, options => options.MaxConcurrentScans = 1);

        var error = await Assert.ThrowsAsync<ClamdProtocolException>(() => clamd.Client.ScanAsync(TestContent.CleanText, Token));

        Assert.Contains("reply to request 1", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_second_scan_of_a_session_must_carry_id_2()
    {
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            await connection.ReadCommandAsync(stop);
            await connection.ReadInStreamAsync(stop);
            // The first reply is right; the second repeats the first's id, as a desynchronised session would.
            if (connection.RequestId == 1)
            {
                await connection.ReplyAsync("stream: OK", stop);
            }
            else
            {
                await connection.SendRawAsync("1: stream: OK\0", stop);
            }
        });
        using var clamd = ClamdHarness.For(fake.Address, options => options.MaxConcurrentScans = 1);

        Assert.IsType<ClamdReply.Clean>((await clamd.Client.ScanAsync(TestContent.CleanText, Token)).Reply);
        var error = await Assert.ThrowsAsync<ClamdProtocolException>(() => clamd.Client.ScanAsync(TestContent.CleanText, Token));

        Assert.Contains("reply to request 2", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_session_clamd_closed_between_scans_is_not_reused()
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = FirstScanThenOk(async (connection, stop) =>
        {
            await connection.ReadInStreamAsync(stop);
            await connection.ReplyAsync("stream: OK", stop);
            connection.Reset();
            closed.TrySetResult();
        });
        using var clamd = ClamdHarness.For(fake.Address, options => options.MaxConcurrentScans = 1);

        Assert.IsType<ClamdReply.Clean>((await clamd.Client.ScanAsync(TestContent.CleanText, Token)).Reply);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10), Token);
        var second = await clamd.Client.ScanAsync(TestContent.CleanText, Token);

        Assert.IsType<ClamdReply.Clean>(second.Reply);
        Assert.Equal(2, fake.Accepted);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_session_idle_past_the_limit_is_closed_and_a_new_one_opened()
    {
        await using var fake = AnsweringOk();
        var clock = new ShiftedClock();
        using var clamd = ClamdHarness.For(fake.Address, options => options.MaxConcurrentScans = 1, clock);

        Assert.IsType<ClamdReply.Clean>((await clamd.Client.ScanAsync(TestContent.CleanText, Token)).Reply);
        clock.Shift += ClamdSessionPool.MaxIdle;
        Assert.IsType<ClamdReply.Clean>((await clamd.Client.ScanAsync(TestContent.CleanText, Token)).Reply);

        Assert.Equal(2, fake.Accepted);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_session_left_idle_past_the_limit_is_closed_without_waiting_for_the_next_scan()
    {
        // clamd counts idle sessions against its MaxQueue: they must not stay open after a burst.
        var closedByWorker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = FakeClamd.Start(async (connection, stop) =>
        {
            try
            {
                await connection.ReadCommandAsync(stop);
            }
            catch (EndOfStreamException)
            {
                closedByWorker.TrySetResult();
                throw;
            }

            await connection.ReadInStreamAsync(stop);
            await connection.ReplyAsync("stream: OK", stop);
        });
        var clock = new ShiftedClock();
        using var clamd = ClamdHarness.For(fake.Address, options => options.MaxConcurrentScans = 1, clock);

        Assert.IsType<ClamdReply.Clean>((await clamd.Client.ScanAsync(TestContent.CleanText, Token)).Reply);
        clock.Shift += ClamdSessionPool.MaxIdle;

        await closedByWorker.Task.WaitAsync(ClamdSessionPool.SweepInterval * 10, Token);
        Assert.Equal(1, fake.Accepted);
    }

    [Fact(Timeout = 30_000)]
    public async Task After_a_size_limit_reply_the_session_is_dropped_and_the_next_scan_is_clean_on_a_new_connection()
    {
        await using var fake = FirstScanThenOk(async (connection, stop) =>
        {
            await connection.ReplyAsync("INSTREAM size limit exceeded. ERROR", stop);
            connection.Reset();
        });
        using var clamd = ClamdHarness.For(fake.Address, options => options.MaxConcurrentScans = 1);

        var tooLarge = await clamd.Client.ScanPatternAsync(64L * 1024 * 1024, Token);
        var next = await clamd.Client.ScanAsync(TestContent.CleanText, Token);

        Assert.IsType<ClamdReply.TooLarge>(tooLarge.Reply);
        Assert.IsType<ClamdReply.Clean>(next.Reply);
        Assert.Equal(2, fake.Accepted);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_failed_scan_never_hands_its_session_back()
    {
        await using var fake = FirstScanThenOk(async (connection, stop) =>
        {
            await connection.ReadInStreamAsync(stop);
            await connection.ReplyAsync("stream: Can't allocate memory ERROR", stop);
        });
        using var clamd = ClamdHarness.For(fake.Address, options => options.MaxConcurrentScans = 1);

        var failed = await clamd.Client.ScanAsync(TestContent.CleanText, Token);
        var next = await clamd.Client.ScanAsync(TestContent.CleanText, Token);

        Assert.IsType<ClamdReply.Failed>(failed.Reply);
        Assert.IsType<ClamdReply.Clean>(next.Reply);
        Assert.Equal(2, fake.Accepted);
    }

    [Fact]
    public void A_session_numbers_its_scans_from_1_opens_with_IDSESSION_once_and_wears_out_before_its_id_could_overflow()
    {
        using var session = new ClamdConnection(ClamdAddress.Tcp("127.0.0.1", 3310), session: true);
        using var oneShot = new ClamdConnection(ClamdAddress.Tcp("127.0.0.1", 3310), session: false);

        var first = session.BeginInStream();
        var second = session.BeginInStream();
        Assert.Equal("zIDSESSION\0zINSTREAM\0", System.Text.Encoding.ASCII.GetString(first.Span));
        Assert.Equal("zINSTREAM\0", System.Text.Encoding.ASCII.GetString(second.Span));
        Assert.Equal(2, session.RequestId);
        while (!session.IsWorn)
        {
            session.BeginInStream();
        }

        Assert.Equal(ClamdConnection.MaxRequestsPerSession, session.RequestId);
        Assert.Equal("zINSTREAM\0", System.Text.Encoding.ASCII.GetString(oneShot.BeginInStream().Span));
        Assert.Null(oneShot.RequestId);
        Assert.False(oneShot.IsWorn);
    }

    /// <summary>The system clock moved forward by <see cref="Shift"/>; timers stay real.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Shift { get; set; }

        public override long GetTimestamp() => base.GetTimestamp() + (long)(Shift.TotalSeconds * TimestampFrequency);
    }
}
