using System.Text.Json;

namespace ScanWorker.Messaging;

/// <summary>
/// Finds the <c>scanId</c> in a message body that could not be deserialized, reading as far as the
/// JSON is well-formed: top level for plain JSON, under <c>message</c> for a MassTransit envelope.
/// Pure: no I/O.
/// </summary>
public static class ScanIdSniffer
{
    public static Guid? Find(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var inMessage = false;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                var depth = reader.CurrentDepth;
                if (depth == 1 && reader.ValueTextEquals("message"u8))
                {
                    inMessage = true;
                    continue;
                }

                var topLevel = depth == 1 || (inMessage && depth == 2);
                if (topLevel && (reader.ValueTextEquals("scanId"u8) || reader.ValueTextEquals("ScanId"u8)))
                {
                    return reader.Read() && reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out var id) && id != Guid.Empty
                        ? id
                        : null;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed from here on; nothing more to find.
        }

        return null;
    }
}
