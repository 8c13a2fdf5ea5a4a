namespace ScanWorker.Tests.Infrastructure;

/// <summary>A broker the tests may use, as one AMQP URI with its credentials and virtual host.</summary>
public sealed record RabbitMqServer(Uri Amqp)
{
    public string User => Uri.UnescapeDataString(Amqp.UserInfo.Split(':')[0]);

    public string Password => Uri.UnescapeDataString(Amqp.UserInfo.Split(':') is [_, var pass] ? pass : string.Empty);

    public string VirtualHost => Amqp.AbsolutePath == "/" ? "/" : Uri.UnescapeDataString(Amqp.AbsolutePath.TrimStart('/'));
}
