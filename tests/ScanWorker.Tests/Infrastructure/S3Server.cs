namespace ScanWorker.Tests.Infrastructure;

public sealed record S3Server(Uri ServiceUrl, string AccessKey, string SecretKey);
