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
