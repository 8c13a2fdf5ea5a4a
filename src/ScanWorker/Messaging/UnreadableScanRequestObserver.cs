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
    private const string EnvelopeContentType = "application/vnd.masstransit+json";

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    /// <summary>
    /// A message no consumer here took (a MassTransit envelope of another type) goes to the queue's <c>_skipped</c>
    /// queue. No result is published for it: it may be another kind of message sent here by mistake (a result event,
    /// whose <c>scanId</c> would then get a second, contradicting answer), so the line is what the operator gets.
    /// </summary>
    public Task PostReceive(ReceiveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.IsDelivered && !context.IsFaulted)
        {
            logger.MessageSkipped(context.InputAddress?.ToString() ?? "?", context.ContentType?.MediaType ?? "none");
        }

        return Task.CompletedTask;
    }

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
        if (ReadError(exception) is not { } readError)
        {
            return;
        }

        var body = context.Body.GetBytes();
        var problem = ScanIdSniffer.StartsWithByteOrderMark(body)
            ? "the body starts with a UTF-8 byte order mark, which JSON sent over a network must not carry (RFC 8259): send it without one"
            : readError is not JsonException && context.ContentType?.MediaType == EnvelopeContentType
                ? $"{readError.Message}: the content type {EnvelopeContentType} announces a MassTransit envelope (messageType, message); "
                    + "publish a plain request as application/json"
                : readError.Message;
        var scanId = ScanIdSniffer.Find(body);
        logger.ScanRequestUnreadable(context.InputAddress?.ToString() ?? "?", scanId, problem);
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
            Detail = $"the request could not be read: {problem}",
        }, context.CancellationToken);
    }

    /// <summary>
    /// The deserializer's failure wherever it sits in the chain, or null for a fault that is not one. System.Text.Json
    /// wraps what its reader threw (a value of the wrong type, bytes that are not UTF-8) in a <see cref="JsonException"/>
    /// around an exception that is not one, so the innermost <see cref="JsonException"/> is the one that names the
    /// problem and its path. A consumer's own fault (<see cref="LoggedFaultException"/>) is never one: its consumer has
    /// answered already, and a second answer would contradict it.
    /// </summary>
    internal static Exception? ReadError(Exception exception)
    {
        Exception? found = null;
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is LoggedFaultException)
            {
                return null;
            }

            if (current is JsonException || (found is null && current is System.Runtime.Serialization.SerializationException))
            {
                found = current;
            }
        }

        return found;
    }
}
