using System.Text.Json;
using MassTransit;
using ScanWorker.Contracts;
using ScanWorker.Diagnostics;

namespace ScanWorker.Messaging;

/// <summary>
/// A message whose body cannot be deserialized never reaches the consumer; MassTransit moves it to the
/// error queue. This observer logs why and, when a <c>scanId</c> can still be read from the body,
/// publishes <c>ScanError/InvalidRequest</c> so that the producer hears back.
/// </summary>
internal sealed class UnreadableScanRequestObserver(IServiceProvider services, TimeProvider time, ILogger<UnreadableScanRequestObserver> logger)
    : IReceiveObserver
{
    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;

    public async Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is not System.Runtime.Serialization.SerializationException && exception.GetBaseException() is not JsonException)
        {
            return;
        }

        var scanId = ScanIdSniffer.Find(context.Body.GetBytes());
        logger.ScanRequestUnreadable(context.InputAddress?.ToString() ?? "?", scanId, exception.GetBaseException().Message);
        if (scanId is not { } id)
        {
            return;
        }

        var bus = services.GetRequiredService<IBus>();
        await bus.Publish(new ScanError
        {
            ScanId = id,
            Target = new ScanTarget(),
            CompletedAt = time.GetUtcNow(),
            Reason = ScanErrorReason.InvalidRequest,
            Detail = $"the request could not be read: {exception.GetBaseException().Message}",
        }, context.CancellationToken);
    }
}
