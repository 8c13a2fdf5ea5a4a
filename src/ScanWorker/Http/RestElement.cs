using System.Text.Json.Serialization;

namespace ScanWorker.Http;

/// <summary>
/// One element of a clamav-rest response: <c>{"Status","Description","FileName"}</c> in that order,
/// <c>FileName</c> left out when empty. <see cref="HttpStatus"/> is never serialised.
/// </summary>
public sealed record RestElement(
    [property: JsonPropertyName("Status")] string Status,
    [property: JsonPropertyName("Description")] string Description,
    [property: JsonPropertyName("FileName"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FileName,
    [property: JsonIgnore] int HttpStatus)
{
    public const string Ok = "OK";
    public const string Found = "FOUND";
    public const string Error = "ERROR";
    public const string ParseError = "PARSE ERROR";

    public static RestElement TooLarge(string? fileName) => new(ParseError, "File size limit exceeded", fileName, 413);

    /// <summary>The whole request passed Http:MaxRequestBytes; nothing after that point was read.</summary>
    public static RestElement RequestTooLarge(long limit) =>
        new(ParseError, $"Request size limit exceeded: the request is larger than {limit} bytes (Http:MaxRequestBytes)", null, 413);

    public static RestElement Unavailable(string? fileName, string detail) => new(Error, detail, fileName, 503);
}
