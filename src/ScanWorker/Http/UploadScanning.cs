using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using ScanWorker.Sources;

namespace ScanWorker.Http;

/// <summary>
/// Reads a multipart request part by part and streams each file part into clamd as it arrives: no temp
/// files, no buffered part, results in request order. <c>MAX_FILE_SIZE</c> applies to each part, as in
/// clamav-rest: a part over it gets its 413 element, the rest of its bytes are read and discarded, and the
/// parts after it are still scanned. Only clamd being unreachable (nothing after it could be scanned) or
/// the whole-request cap ends the walk early.
/// </summary>
public static class UploadScanning
{
    /// <summary>RFC 2046 caps a boundary at 70 characters; a longer one is not multipart.</summary>
    public const int MaxBoundaryLength = 70;

    /// <summary>The results, or null with a problem when the request is not (well-formed) multipart.</summary>
    public static async Task<(UploadResponse? Results, string? Problem)> ScanPartsAsync(HttpRequest request, RestScan scan,
        UploadLimits limits, bool reportNamelessParts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(limits);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "request Content-Type isn't multipart/form-data");
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return (null, "no multipart boundary param in Content-Type");
        }

        if (boundary.Length > MaxBoundaryLength)
        {
            return (null, $"the multipart boundary is {boundary.Length} characters; at most {MaxBoundaryLength} are allowed");
        }

        var body = new LengthLimitedStream(request.Body, limits.MaxRequestBytes, max => new RequestTooLargeException(max));
        var reader = new MultipartReader(boundary, body) { HeadersLengthLimit = 64 * 1024 };
        var results = new List<RestElement>();
        try
        {
            var parts = 0;
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (++parts > limits.MaxParts)
                {
                    return (null, $"the request has more than {limits.MaxParts} parts (Http:MaxParts)");
                }

                var fileName = FileNameOf(section);
                if (fileName is null)
                {
                    if (reportNamelessParts)
                    {
                        results.Add(new RestElement(RestElement.Error, "MimePart FileName missing", null, 422));
                    }

                    continue;
                }

                // The part's length is unknown in advance; the next ReadNextSectionAsync drains what a 413 left unread.
                var result = await scan.UploadAsync(section.Body, declaredLength: null, limits.MaxFileBytes, fileName, cancellationToken);
                results.Add(result);
                if (result.HttpStatus == 503)
                {
                    break;
                }
            }
        }
        catch (RequestTooLargeException exception)
        {
            results.Add(RestElement.RequestTooLarge(exception.Limit));
            return (new UploadResponse(results, OverRequestLimit: true), null);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or FormatException
            && !cancellationToken.IsCancellationRequested)
        {
            // MultipartReader reports a broken body (no boundary, truncated part, bad or too many part headers) this way.
            return (null, $"malformed multipart body: {exception.Message}");
        }

        return (new UploadResponse(results, OverRequestLimit: false), null);
    }

    private static string? FileNameOf(MultipartSection section)
    {
        if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
        {
            return null;
        }

        var name = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
        // As Go's Part.FileName(): only the last path element.
        return string.IsNullOrEmpty(name) ? null : Path.GetFileName(name.Replace('\\', '/'));
    }
}
