namespace ScanWorker.Tests.Infrastructure;

public sealed record RabbitMqServer(Uri Amqp);
