using MassTransit;
using RabbitMQ.Client.Exceptions;

namespace ScanWorker.Messaging;

/// <summary>A broker failure in one line an operator can act on, from MassTransit's nest of wrapped exceptions.</summary>
internal static class BrokerFault
{
    public static string Describe(Exception exception, RabbitMqTransportOptions broker)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(broker);
        var chain = Chain(exception).ToList();
        var innermost = chain[^1].Message;
        var where = $"{broker.Host}:{broker.Port}";
        if (chain.OfType<AuthenticationFailureException>().FirstOrDefault() is { } refused)
        {
            return $"ACCESS_REFUSED for user {broker.User} at {where}: the broker refused the login ({FirstLine(refused.Message)}); "
                + "check RabbitMq__User and RabbitMq__Pass, or create the user";
        }

        if (chain.OfType<System.Security.Authentication.AuthenticationException>().FirstOrDefault() is { } handshake)
        {
            return $"TLS handshake with {where} failed ({FirstLine(handshake.Message)}); nothing was sent. Check the broker's certificate "
                + "against RabbitMq__CaCertificate and RabbitMq__ServerName (the log line before this one says what was wrong)";
        }

        if (chain.Any(e => e.Message.Contains("NOT_ALLOWED", StringComparison.Ordinal) && e.Message.Contains("vhost", StringComparison.OrdinalIgnoreCase)))
        {
            return $"virtual host '{broker.VHost}' at {where} is missing or closed to user {broker.User} ({FirstLine(innermost)}); check RabbitMq__VHost and the user's permissions";
        }

        if (chain.FirstOrDefault(e => e.Message.Contains("ACCESS_REFUSED", StringComparison.Ordinal)) is { } forbidden)
        {
            return $"user {broker.User} lacks a permission at {where} ({FirstLine(forbidden.Message)}); grant configure, write and read on the worker's queues and exchanges";
        }

        return chain.Any(e => e is BrokerUnreachableException or System.Net.Sockets.SocketException)
            ? $"broker {where} unreachable ({FirstLine(innermost)})"
            : FirstLine(innermost);
    }

    /// <summary>A refused login: the one connection failure MassTransit does not retry.</summary>
    public static bool IsRefusedLogin(Exception exception) => Chain(exception).OfType<AuthenticationFailureException>().Any();

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException { InnerExceptions.Count: > 1 } aggregate)
            {
                current = aggregate.InnerExceptions[0];
                yield return current;
            }
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
