using MassTransit;
using MassTransit.Testing;
using ScanWorker.Contracts;
using ScanWorker.Requests;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Requests;

/// <summary>
/// The scan-request consumer's rules, on MassTransit's in-memory harness with an in-process clamd (fast tier): one request,
/// one result; invalid requests answered, unanswerable ones faulted; transient failures retried, then answered and faulted.
/// The same rules on real RabbitMQ and clamd are in Messaging/QueueScanTests.
/// </summary>
public sealed class ScanRequestedConsumerSpecs : IAsyncLifetime
{
    private QueueSpecHost _spec = null!;

    public async ValueTask InitializeAsync() =>
        _spec = await QueueSpecHost.StartAsync(bus => bus.AddConsumer<ScanRequestedConsumer, ScanRequestedConsumerDefinition>());

    public ValueTask DisposeAsync() => _spec.DisposeAsync();

    [Fact]
    public async Task A_clean_file_is_answered_with_one_ScanClean_carrying_its_size_and_hash()
    {
        var content = TestContent.Unique(4096);
        var request = Request(new ScanTarget { Path = _spec.AddFile("uploads/a.bin", content) }, ("tenant", "t1"));

        await _spec.Harness.Bus.Publish(request, TestContext.Current.CancellationToken);

        var clean = await OnlyResultAsync<ScanClean>(request.ScanId);
        Assert.Equal(4096, clean.ScannedBytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), clean.Sha256);
        Assert.Equal("t1", clean.Metadata!["tenant"]);
        Assert.Equal("uploads/a.bin", clean.Target.Path);
    }

    [Fact]
    public async Task An_infected_file_is_answered_with_ScanInfected_naming_the_signature()
    {
        var request = Request(new ScanTarget { Path = _spec.AddFile("eicar.com", TestContent.Eicar) });

        await _spec.Harness.Bus.Publish(request, TestContext.Current.CancellationToken);

        var infected = await OnlyResultAsync<ScanInfected>(request.ScanId);
        Assert.Equal([InProcessClamdClient.Signature], infected.Signatures);
    }

    [Theory]
    [InlineData(null, null, "uploads", "needs")]
    [InlineData("../etc/passwd", null, null, "")]
    [InlineData("a.txt", "bucket", "key", "")]
    public async Task An_invalid_target_is_answered_with_InvalidRequest_and_is_not_retried(string? path, string? bucket, string? key, string _)
    {
        var request = Request(new ScanTarget { Path = path, Bucket = bucket, Key = key });

        await _spec.Harness.Bus.Publish(request, TestContext.Current.CancellationToken);

        var error = await OnlyResultAsync<ScanError>(request.ScanId);
        Assert.Equal(ScanErrorReason.InvalidRequest, error.Reason);
        Assert.False(error.Transient);
        Assert.False(await _spec.Harness.Published.Any<Fault<ScanRequested>>(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_missing_file_is_answered_with_NotFound()
    {
        var request = Request(new ScanTarget { Path = "nowhere/missing.pdf" });

        await _spec.Harness.Bus.Publish(request, TestContext.Current.CancellationToken);

        Assert.Equal(ScanErrorReason.NotFound, (await OnlyResultAsync<ScanError>(request.ScanId)).Reason);
    }

    [Fact]
    public async Task A_request_without_a_scanId_cannot_be_answered_and_faults_to_the_error_queue()
    {
        var request = Request(new ScanTarget { Path = _spec.AddFile("a.txt", TestContent.CleanText) }) with { ScanId = Guid.Empty };

        await _spec.Harness.Bus.Publish(request, TestContext.Current.CancellationToken);

        var fault = await _spec.Harness.Published.SelectAsync<Fault<ScanRequested>>(TestContext.Current.CancellationToken).First();
        Assert.Contains(fault.Context.Message.Exceptions, exception => exception.ExceptionType.EndsWith(nameof(UnidentifiableScanRequestException), StringComparison.Ordinal));
        Assert.False(await _spec.Harness.Published.Any<ScanCompleted>(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_scanner_refusing_every_attempt_is_retried_then_answered_once_as_transient_and_faulted()
    {
        _spec.Clamd.RefusingScans = true;
        var request = Request(new ScanTarget { Path = _spec.AddFile("a.txt", TestContent.CleanText) });

        await _spec.Harness.Bus.Publish(request, TestContext.Current.CancellationToken);

        await _spec.Harness.Published.SelectAsync<Fault<ScanRequested>>(TestContext.Current.CancellationToken).First();
        var error = await OnlyResultAsync<ScanError>(request.ScanId);
        Assert.Equal(ScanErrorReason.ScannerUnavailable, error.Reason);
        Assert.True(error.Transient);
        // Messaging:RetryLimit is 2: two retries after the first attempt, the third attempt published and faulted.
        Assert.Equal(2, await _spec.MetricAsync("scanworker_messages_retried_total", TestContext.Current.CancellationToken));
    }

    private static ScanRequested Request(ScanTarget target, params (string Key, string Value)[] metadata) => new()
    {
        ScanId = Guid.NewGuid(),
        Target = target,
        Metadata = metadata.Length == 0 ? null : metadata.ToDictionary(pair => pair.Key, pair => pair.Value),
    };

    /// <summary>The one result published for <paramref name="scanId"/>, which must be a <typeparamref name="T"/>.</summary>
    private async Task<T> OnlyResultAsync<T>(Guid scanId)
        where T : ScanCompleted
    {
        var first = await _spec.Harness.Published.SelectAsync<ScanCompleted>(
            message => message.Context.Message.ScanId == scanId, TestContext.Current.CancellationToken).First();
        // The harness waits out its inactivity timeout here, so a second result published a little later is seen too.
        var all = await _spec.Harness.Published.SelectAsync<ScanCompleted>(
            message => message.Context.Message.ScanId == scanId, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Single(all);
        return Assert.IsType<T>(first.Context.Message, exactMatch: true);
    }
}
