using System.Text.Json;
using ScanWorker.Contracts;
using ScanWorker.Messaging;

namespace ScanWorker.Tests.Messaging;

public sealed class ContractJsonTests
{
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web);
    private static readonly JsonSerializerOptions Lenient = ContractJson.Lenient(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    [Fact]
    public void By_default_a_request_without_a_target_cannot_even_be_read()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ScanRequested>("""{"scanId":"6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e"}""", Strict));
    }

    [Fact]
    public void Leniently_it_is_read_so_the_consumer_can_answer_it()
    {
        var request = JsonSerializer.Deserialize<ScanRequested>("""{"scanId":"6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e"}""", Lenient);

        Assert.NotNull(request);
        Assert.Equal(Guid.Parse("6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e"), request.ScanId);
        Assert.Null(request.Target);
    }

    [Theory]
    [InlineData("""{"scanId":"6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e","target":{"path":"a.txt","path":"b.txt"}}""")]
    [InlineData("""{"scanId":"6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e","ScanId":"0b6e2c9a-1d1f-4a57-9d0e-5f8f2a3b4c5d","target":{"path":"a.txt"}}""")]
    public void A_name_given_twice_is_refused_not_settled_by_taking_one(string body)
    {
        var refused = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ScanRequested>(body, Lenient));

        Assert.Contains("uplicate", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_deserializers_failure_is_found_wherever_it_sits_in_the_chain()
    {
        var typed = new JsonException("The JSON value could not be converted. Path: $.target.path", new InvalidOperationException("Number as string"));
        var wrapped = new System.Runtime.Serialization.SerializationException("could not deserialize", typed);

        Assert.Same(typed, UnreadableScanRequestObserver.ReadError(typed));
        Assert.Same(typed, UnreadableScanRequestObserver.ReadError(wrapped));
        Assert.Null(UnreadableScanRequestObserver.ReadError(new InvalidOperationException("a broker fault", new IOException())));
        Assert.Null(UnreadableScanRequestObserver.ReadError(new AnsweredFault(typed)));
    }

    private sealed class AnsweredFault(Exception inner) : LoggedFaultException("the consumer answered and logged this", inner);

    [Fact]
    public void Results_keep_their_wire_shape_camel_case_with_string_reasons()
    {
        var json = JsonSerializer.Serialize(new ScanError
        {
            ScanId = Guid.Empty,
            Target = new ScanTarget { Path = "a.txt" },
            CompletedAt = DateTimeOffset.UnixEpoch,
            Reason = ScanErrorReason.TooLarge,
            Detail = "d",
        }, Lenient);

        Assert.Contains("\"reason\":\"TooLarge\"", json, StringComparison.Ordinal);
        Assert.Contains("\"target\":{", json, StringComparison.Ordinal);
        Assert.Contains("\"transient\":false", json, StringComparison.Ordinal);
    }
}
