using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Xml.Linq;
using ScanWorker.Contracts;
using ScanWorker.Tests.Infrastructure;

namespace ScanWorker.Tests.Contracts;

/// <summary>
/// The JSON Schemas of contracts/schemas, generated from the records (System.Text.Json's own exporter, with the wire's
/// naming: camelCase, enums as their names) and described by the records' XML documentation. The committed files are
/// held against this by <see cref="ContractSchemaTests"/>, so they cannot drift from the code.
/// </summary>
internal static class ContractSchemas
{
    /// <summary>Every message on the wire, in the order the AsyncAPI document lists them.</summary>
    public static readonly Type[] Messages =
    [
        typeof(ScanRequested), typeof(ScanClean), typeof(ScanInfected), typeof(ScanError), typeof(ScanCompleted),
        typeof(RescanRequested), typeof(RescanCompleted),
    ];

    private static readonly JsonSerializerOptions Wire = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectNullableAnnotations = true,
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    private static readonly Lazy<XDocument> Docs = new(() => XDocument.Load(
        Path.ChangeExtension(typeof(ScanRequested).Assembly.Location, ".xml")));

    public static string FileName(Type message) => $"{message.Name}.schema.json";

    public static string FilePath(Type message) => RepositoryRoot.Combine("contracts", "schemas", FileName(message));

    public static JsonNode Generate(Type message)
    {
        var body = JsonSchemaExporter.GetJsonSchemaAsNode(Wire, message, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = Describe,
        });
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = FileName(message),
            ["title"] = message.Name,
        };
        foreach (var (name, value) in body.AsObject().ToList())
        {
            body.AsObject().Remove(name);
            schema[name] = value;
        }

        return schema;
    }

    public static string Text(JsonNode schema) => schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    // Every type and property the contract documents gets its XML summary as "description".
    private static JsonNode Describe(JsonSchemaExporterContext context, JsonNode schema)
    {
        if (schema is not JsonObject node)
        {
            return schema;
        }

        var member = context.PropertyInfo?.AttributeProvider as MemberInfo;
        var id = member is PropertyInfo property ? $"P:{property.DeclaringType!.FullName}.{property.Name}"
            : context.PropertyInfo is null && context.TypeInfo.Type.Assembly == typeof(ScanRequested).Assembly ? $"T:{context.TypeInfo.Type.FullName}"
            : null;
        if (id is not null && Summary(id) is { } summary && !node.ContainsKey("description"))
        {
            node.Insert(0, "description", summary);
        }

        return node;
    }

    private static string? Summary(string id)
    {
        var summary = Docs.Value.Descendants("member").FirstOrDefault(member => (string?)member.Attribute("name") == id)?.Element("summary");
        if (summary is null)
        {
            return null;
        }

        // <see cref="T:X.Y"/> and <c>text</c> read as their names.
        var joined = string.Concat(summary.Nodes().Select(node => node switch
        {
            XElement { Name.LocalName: "see" } see => ((string?)see.Attribute("cref"))?.Split('.', ':')[^1] ?? see.Value,
            XElement element => element.Value,
            XText text => text.Value,
            _ => string.Empty,
        }));
        return string.Join(' ', joined.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
