using System.Text.Json.Serialization;

namespace ScanWorker.Contracts;

/// <summary>Why a scan ended in <see cref="ScanError"/>. Serialized as its name, e.g. <c>"TooLarge"</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScanErrorReason>))]
public enum ScanErrorReason
{
    /// <summary>The request itself is wrong: malformed, both or neither target kinds, a path outside the mount.</summary>
    InvalidRequest,

    /// <summary>The object or file does not exist.</summary>
    NotFound,

    /// <summary>The source refused access (S3 403, file permissions).</summary>
    AccessDenied,

    /// <summary>The object no longer matches the requested version or ETag.</summary>
    Changed,

    /// <summary>The object is larger than the scanner accepts (known length, or clamd's stream limit).</summary>
    TooLarge,

    /// <summary>clamd skipped part of the content (<c>Heuristics.Limits.Exceeded.*</c>).</summary>
    LimitsExceeded,

    /// <summary>The source (S3, mount) could not be reached or failed.</summary>
    SourceUnavailable,

    /// <summary>clamd could not be reached.</summary>
    ScannerUnavailable,

    /// <summary>clamd answered with an error or an answer that could not be understood.</summary>
    ScannerError,

    /// <summary>A connect, idle or whole-scan timeout elapsed.</summary>
    Timeout,

    /// <summary>The signatures are older than the configured maximum, so a clean answer is not trusted.</summary>
    StaleSignatures,
}
