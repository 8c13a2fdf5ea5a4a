using MassTransit;
using ScanWorker.Diagnostics;

namespace ScanWorker.Messaging;

/// <summary>
/// Names the fix when a receive endpoint cannot start because its queue already exists with another type: the
/// broker refuses the declaration (PRECONDITION_FAILED, "inequivalent arg 'x-queue-type'"), which is what an
/// existing deployment with classic queues meets when it upgrades to the quorum default.
/// </summary>
internal sealed class QueueTypeMismatchObserver(Microsoft.Extensions.Options.IOptions<MessagingOptions> options,
    ILogger<QueueTypeMismatchObserver> logger) : IReceiveEndpointObserver
{
    private const string BrokerSays = "inequivalent arg 'x-queue-type'";

    public Task Ready(ReceiveEndpointReady ready) => Task.CompletedTask;

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        ArgumentNullException.ThrowIfNull(faulted);
        for (var exception = faulted.Exception; exception is not null; exception = exception.InnerException)
        {
            if (exception.Message.Contains(BrokerSays, StringComparison.Ordinal))
            {
                logger.QueueTypeMismatch(faulted.InputAddress.ToString(), options.Value.QueueType, exception.Message);
                break;
            }
        }

        return Task.CompletedTask;
    }
}
