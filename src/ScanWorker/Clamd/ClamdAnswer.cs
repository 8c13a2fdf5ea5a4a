namespace ScanWorker.Clamd;

/// <summary>What one INSTREAM produced.</summary>
/// <param name="Reply">clamd's typed answer.</param>
/// <param name="BytesSent">Content bytes handed to clamd (chunk headers not counted).</param>
/// <param name="StreamCompleted">
/// True when the source was read to its end and the end-of-stream chunk was sent before clamd answered.
/// A <see cref="ClamdReply.Clean"/> reply is only ever returned together with true.
/// </param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content; null unless <paramref name="StreamCompleted"/>.</param>
/// <param name="Elapsed">Connect to reply.</param>
public sealed record ClamdAnswer(ClamdReply Reply, long BytesSent, bool StreamCompleted, string? Sha256, TimeSpan Elapsed);
