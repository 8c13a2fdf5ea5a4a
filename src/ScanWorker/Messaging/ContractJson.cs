using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ScanWorker.Contracts;

namespace ScanWorker.Messaging;

/// <summary>
/// How the contract types are read from the wire. The contract marks <c>scanId</c> and <c>target</c>
/// as C# <c>required</c>, which System.Text.Json enforces by throwing before the consumer runs; then
/// a request missing its target could never be answered. Reading them leniently lets the consumer see
/// the request, validate it, and answer <c>InvalidRequest</c> to its <c>scanId</c>. Duplicate property names are
/// the one thing read strictly (an unreadable request, answered to its <c>scanId</c> when that is unambiguous).
/// </summary>
public static class ContractJson
{
    public static JsonSerializerOptions Lenient(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(RelaxRequired);
        // A name given twice is refused, never settled by taking one of the values: a producer's gateway that checked
        // the first "path" must not see the worker scan the second.
        options.AllowDuplicateProperties = false;
        return options;
    }

    private static void RelaxRequired(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || type.Type.Assembly != typeof(ScanRequested).Assembly)
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            property.IsRequired = false;
        }
    }
}
