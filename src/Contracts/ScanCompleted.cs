using System.Diagnostics.CodeAnalysis;

namespace ScanWorker.Contracts;

/// <summary>
/// What every result carries, so a subscriber can take <see cref="ScanClean"/>, <see cref="ScanInfected"/>
/// and <see cref="ScanError"/> with one consumer.
/// </summary>
[SuppressMessage("Naming", "CA1715:Identifiers should have correct prefix",
    Justification = "The type name is the message identity fixed by the design; renaming changes the wire contract.")]
public interface ScanCompleted
{
    /// <summary>The request's <see cref="ScanRequested.ScanId"/>.</summary>
    Guid ScanId { get; }

    /// <summary>The request's target, as received.</summary>
    ScanTarget Target { get; }

    /// <summary>The request's metadata, unchanged.</summary>
    IReadOnlyDictionary<string, string>? Metadata { get; }

    /// <summary>When the worker finished.</summary>
    DateTimeOffset CompletedAt { get; }

    /// <summary>Wall time the worker spent on the request, in milliseconds.</summary>
    long ElapsedMs { get; }

    /// <summary>Bytes actually streamed to clamd.</summary>
    long ScannedBytes { get; }

    /// <summary>Lower-case hex SHA-256 of the bytes streamed; null unless the whole object was streamed.</summary>
    string? Sha256 { get; }

    /// <summary>clamd engine version, e.g. <c>1.4.6</c>; null when clamd did not say.</summary>
    string? ClamAvVersion { get; }

    /// <summary>Signature database version (daily.cvd), e.g. <c>27826</c>; null when clamd did not say.</summary>
    int? SignatureVersion { get; }

    /// <summary>Signature database date; null when clamd did not say.</summary>
    DateTimeOffset? SignatureDate { get; }
}
