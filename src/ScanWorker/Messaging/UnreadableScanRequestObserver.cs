using System.Text.Json;
using MassTransit;
using ScanWorker.Contracts;
using ScanWorker.Diagnostics;

namespace ScanWorker.Messaging;

/// <summary>
/// A message whose body cannot be deserialized never reaches the consumer; MassTransit moves it to the
/// error queue. This observer logs why and, when a <c>scanId</c> can still be read from the body,
/// publishes <c>ScanError/InvalidRequest</c> so that the producer hears back. It also gives an unexpected consumer fault
/// its one log line.
/// </summary>
internal sealed class UnreadableScanRequestObserver(IServiceProvider services, TimeProvider time, ILogger<UnreadableScanRequestObserver> logger)
    : IReceiveObserver
{
    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    /// <summary>
    /// MassTransit's own fault log is off by default (a stack per message); the faults the worker expects are logged where
    /// they happen (retries 1002, results 1001, 1003, 6003, 6008), so only an unexpected one is logged here, in one line.
    /// </summary>
    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is not (LoggedFaultException or OperationCanceledException))
        {
            logger.ConsumerFailed(consumerType, context.ReceiveContext.InputAddress?.ToString() ?? "?", exception.GetType().Name,
                exception.Message);
        }

        return Task.CompletedTask;
    }

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
