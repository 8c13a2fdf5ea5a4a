namespace ScanWorker.Clamd;

/// <summary>The three clocks of one clamd operation (see <see cref="ClamdOperation"/>).</summary>
/// <param name="Connect">Until the connection is established.</param>
/// <param name="Idle">Longest time without bytes moving while sending.</param>
/// <param name="Deadline">The whole operation, connect to reply.</param>
internal readonly record struct ClamdTimeouts(TimeSpan Connect, TimeSpan Idle, TimeSpan Deadline);
