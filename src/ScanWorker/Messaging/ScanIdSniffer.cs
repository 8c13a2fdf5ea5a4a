using System.Text.Json;

namespace ScanWorker.Messaging;

/// <summary>
/// Finds the <c>scanId</c> in a message body that could not be deserialized, reading as far as the
/// JSON is well-formed: top level for plain JSON, under <c>message</c> for a MassTransit envelope.
/// Pure: no I/O.
/// </summary>
public static class ScanIdSniffer
{
    /// <summary>
    /// Deep enough for any nesting a broker message can carry before the <c>scanId</c> (a nesting bomb ahead of it
    /// must not hide it); the reader's depth bookkeeping is a bit per level.
    /// </summary>
    private const int MaxDepth = 1_000_000;

    /// <summary>
    /// The <c>scanId</c>, or null when there is none, it is not a GUID in any of .NET's forms, or the body names two
    /// different ones (an answer to either would be a guess).
    /// </summary>
    public static Guid? Find(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(WithoutByteOrderMark(body), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = MaxDepth });
        Guid? found = null;
        var inMessage = false;
        try
        {
            while (reader.Read())
            {
                if (inMessage && reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 1)
                {
                    inMessage = false;
                    continue;
                }

                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                var depth = reader.CurrentDepth;
                if (depth == 1 && reader.ValueTextEquals("message"u8))
                {
                    inMessage = reader.Read() && reader.TokenType == JsonTokenType.StartObject;
                    continue;
                }

                var topLevel = depth == 1 || (inMessage && depth == 2);
                if (!topLevel || !string.Equals(reader.GetString(), "scanId", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (!(reader.Read() && reader.TokenType == JsonTokenType.String && TryGetAnyGuid(ref reader, out var id) && id != Guid.Empty)
                    || (found is { } earlier && earlier != id))
                {
                    return null;
                }

                found = id;
            }
        }
        catch (JsonException)
        {
            // Malformed from here on; nothing more to find.
        }
        catch (InvalidOperationException)
        {
            // A name that is not valid UTF-8: nothing more to read.
        }

        return found;
    }

    // The contract's form is 8-4-4-4-12, the only one the deserializer reads; a producer that sent "{...}" or 32 bare
    // digits still meant that id, and is answered at it (the answer says what could not be read).
    private static bool TryGetAnyGuid(ref Utf8JsonReader reader, out Guid id) =>
        reader.TryGetGuid(out id) || Guid.TryParse(reader.GetString(), out id);

    /// <summary>Whether the body starts with a UTF-8 byte order mark, which JSON sent over a network must not carry.</summary>
    public static bool StartsWithByteOrderMark(ReadOnlySpan<byte> body) => body.StartsWith(ByteOrderMark);

    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private static ReadOnlySpan<byte> WithoutByteOrderMark(ReadOnlySpan<byte> body) =>
        StartsWithByteOrderMark(body) ? body[ByteOrderMark.Length..] : body;
}
