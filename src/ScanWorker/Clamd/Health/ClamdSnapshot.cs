namespace ScanWorker.Clamd;

/// <summary>What clamd said at <paramref name="CheckedAt"/>; version and stats are the last known ones.</summary>
public sealed record ClamdSnapshot(bool Up, ClamdVersion? Version, ClamdStats? Stats, DateTimeOffset? CheckedAt);
