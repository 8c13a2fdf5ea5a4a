using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ScanWorker.Http;

/// <summary>
/// Reads a multipart request part by part and streams each file part into clamd as it arrives: no
/// temp files, no buffered part, results in request order. Stops at the first part over the limit
/// or at the first part clamd could not scan (nothing after it is read).
/// </summary>
public static class UploadScanning
{
    /// <summary>The results, or null with a problem when the request is not (well-formed) multipart.</summary>
    public static async Task<(List<RestResult>? Results, string? Problem)> ScanPartsAsync(HttpRequest request, HttpScanner scanner,
        long limit, bool reportNamelessParts, CancellationToken cancellationToken)
    {
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

        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 64 * 1024 };
        var results = new List<RestResult>();
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                var fileName = FileNameOf(section);
                if (fileName is null)
                {
                    if (reportNamelessParts)
                    {
                        results.Add(new RestResult(RestResult.Error, "MimePart FileName missing", null, 422));
                    }

                    continue;
                }

                var result = await scanner.ScanAsync(section.Body, limit, fileName, cancellationToken);
                results.Add(result);
                if (result.HttpStatus is 413 or 503)
                {
                    break;
                }
            }
        }
        catch (IOException exception) when (exception is not UploadTooLargeException && !cancellationToken.IsCancellationRequested)
        {
            // MultipartReader reports a broken body (no boundary, truncated part) as IOException.
            return (null, $"malformed multipart body: {exception.Message}");
        }

        return (results, null);
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
