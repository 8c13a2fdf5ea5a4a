using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using MassTransit.Serialization;
using ScanWorker.Clamd;
using ScanWorker.Contracts;
using ScanWorker.Messaging;
using ScanWorker.Scanning;

namespace ScanWorker.Tests.Contracts;

/// <summary>
/// contracts/schemas holds a JSON Schema per message (issue 24): generated from the records, and checked both ways —
/// the committed file is what the records generate today, and what the worker really puts on the wire (MassTransit's
/// own serializer, the worker's own result builder) and what plain-JSON producers send validates against it.
/// </summary>
public sealed class ContractSchemaTests
{
    public static TheoryData<string> Messages() => [.. ContractSchemas.Messages.Select(type => type.Name)];

    [Theory]
    [MemberData(nameof(Messages))]
    public void The_committed_schema_is_the_one_the_record_generates(string name)
    {
        var type = ContractSchemas.Messages.Single(message => message.Name == name);
        var generated = ContractSchemas.Text(ContractSchemas.Generate(type));
        var path = ContractSchemas.FilePath(type);
        if (Environment.GetEnvironmentVariable("SCANWORKER_UPDATE_CONTRACTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run SCANWORKER_UPDATE_CONTRACTS=1 bash scripts/test.sh fast --filter FullyQualifiedName~ContractSchemaTests");
        Assert.True(generated == File.ReadAllText(path),
            $"{ContractSchemas.FileName(type)} differs from what {name} generates: the contract changed. Review it, note it in CHANGELOG.md, " +
            "then run SCANWORKER_UPDATE_CONTRACTS=1 bash scripts/test.sh fast --filter FullyQualifiedName~ContractSchemaTests");
    }

    [Fact]
    public void The_results_the_worker_builds_validate_against_their_schemas_as_MassTransit_writes_them()
    {
        var engine = new ClamdVersion("ClamAV 1.4.6", 27000, DateTimeOffset.Parse("2026-12-06T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture), "ClamAV 1.4.6/27000/Sun Dec  6 08:00:00 2026");
        var request = new ScanRequested
        {
            ScanId = Guid.NewGuid(),
            Target = new ScanTarget { Bucket = "uploads", Key = "a/ü b.pdf", VersionId = "v1", ETag = "\"abc\"" },
            Metadata = new Dictionary<string, string> { ["tenant"] = "t-1" },
        };
        ScanOutcome[] outcomes =
        [
            new() { Verdict = ScanVerdict.Clean, ScannedBytes = 12, Sha256 = new string('a', 64), Engine = engine },
            new() { Verdict = ScanVerdict.Infected, Signatures = ["Eicar-Test-Signature"], ScannedBytes = 68, Sha256 = new string('b', 64), Engine = engine },
            ScanOutcome.Error(ScanErrorReason.TooLarge, "s3://uploads/a is 2 bytes; the limit is 1"),
            ScanOutcome.Error(ScanErrorReason.ScannerUnavailable, "clamd is down", transient: true) with { Engine = engine },
        ];

        foreach (var outcome in outcomes)
        {
            var result = ResultEvents.Create(request, outcome, DateTimeOffset.UtcNow, 5);
            var wire = JsonSerializer.SerializeToNode(result, result.GetType(), SystemTextJsonMessageSerializer.Options)!;
            AssertValid(result.GetType(), wire);
            AssertValid(typeof(ScanCompleted), wire); // what a consumer of the base type reads
        }
    }

    [Theory]
    [InlineData("""{"scanId":"3f2c8a4e-1b7d-4c55-9d0e-2a6f4b8c9e01","target":{"bucket":"uploads","key":"2026/report.pdf"}}""")]
    [InlineData("""{"scanId":"3f2c8a4e-1b7d-4c55-9d0e-2a6f4b8c9e01","target":{"path":"in/box.txt"},"metadata":{"tenant":"t-1"},"requestedAt":"2026-12-07T10:00:00+00:00"}""")]
    [InlineData("""{"scanId":"3f2c8a4e-1b7d-4c55-9d0e-2a6f4b8c9e01","target":{"bucket":"b","key":"k","versionId":"v1","eTag":"\"abc\""}}""")]
    public void Plain_JSON_requests_as_the_docs_show_them_validate(string json) =>
        AssertValid(typeof(ScanRequested), JsonNode.Parse(json)!);

    [Theory]
    [InlineData("""{"target":{"bucket":"b","key":"k"}}""", "no scanId")]
    [InlineData("""{"scanId":"3f2c8a4e-1b7d-4c55-9d0e-2a6f4b8c9e01"}""", "no target")]
    [InlineData("""{"scanId":"not-a-guid","target":{"path":"x"}}""", "a scanId that is not a GUID")]
    [InlineData("""{"scanId":"3f2c8a4e-1b7d-4c55-9d0e-2a6f4b8c9e01","target":{"path":"x"},"metadata":{"n":1}}""", "metadata values that are not strings")]
    public void A_request_the_worker_cannot_answer_as_asked_does_not_validate(string json, string why)
    {
        var evaluation = Schema(typeof(ScanRequested)).Evaluate(JsonNode.Parse(json), new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        Assert.False(evaluation.IsValid, $"a request with {why} validated");
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, JsonSchema> Schemas = new();

    private static JsonSchema Schema(Type message) =>
        Schemas.GetOrAdd(message, type => JsonSchema.FromText(File.ReadAllText(ContractSchemas.FilePath(type))));

    private static void AssertValid(Type message, JsonNode instance)
    {
        var evaluation = Schema(message).Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        Assert.True(evaluation.IsValid, $"{message.Name} does not accept {instance.ToJsonString()}: " +
            string.Join("; ", (evaluation.Details ?? []).Where(detail => detail.Errors is { Count: > 0 })
                .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Value}"))));
    }
}
