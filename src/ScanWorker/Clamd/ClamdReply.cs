namespace ScanWorker.Clamd;

/// <summary>
/// clamd's answer to one INSTREAM, typed. Only <see cref="Clean"/> means the content was scanned and
/// nothing was found; every other case, including <see cref="Unparseable"/>, is not clean.
/// </summary>
/// <param name="Raw">The reply line as received, without its terminator.</param>
public abstract record ClamdReply(string Raw)
{
    /// <summary><c>stream: OK</c>.</summary>
    public sealed record Clean(string Raw) : ClamdReply(Raw);

    /// <summary><c>stream: &lt;name&gt; FOUND</c> for a real detection.</summary>
    public sealed record Infected(string Raw, IReadOnlyList<string> Signatures) : ClamdReply(Raw);

    /// <summary>
    /// <c>stream: Heuristics.Limits.Exceeded.&lt;limit&gt; FOUND</c>: clamd skipped part of the content
    /// (sent only with <c>AlertExceedsMax yes</c>).
    /// </summary>
    public sealed record LimitsExceeded(string Raw, string Signature) : ClamdReply(Raw);

    /// <summary><c>INSTREAM size limit exceeded. ERROR</c>: the stream passed clamd's StreamMaxLength.</summary>
    public sealed record TooLarge(string Raw) : ClamdReply(Raw);

    /// <summary><c>... ERROR</c> or <c>COMMAND UNAVAILABLE</c>: clamd could not scan.</summary>
    public sealed record Failed(string Raw, string Message) : ClamdReply(Raw);

    /// <summary>A line that ends in none of OK, FOUND or ERROR.</summary>
    public sealed record Unparseable(string Raw) : ClamdReply(Raw);
}
