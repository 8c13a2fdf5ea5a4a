using ScanWorker.Clamd;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>A clamd to test against; <paramref name="Socket"/> is null when only TCP was named.</summary>
public sealed record ClamdServer(ClamdAddress Tcp, ClamdAddress? Socket, long StreamMaxBytes);
