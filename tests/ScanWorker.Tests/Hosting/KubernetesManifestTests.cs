using System.Reflection;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScanWorker.Buckets;
using ScanWorker.Clamd;
using ScanWorker.Hosting;
using ScanWorker.Http;
using ScanWorker.Messaging;
using ScanWorker.Tests.Infrastructure;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace ScanWorker.Tests.Hosting;

/// <summary>
/// deploy/ rendered as kustomize would (its resources, the generated config map, the example secret) and held
/// against the worker itself: every environment key is one the worker binds (a renamed option breaks this test,
/// not the cluster), the probes and the Service hit endpoints and ports the worker really serves, clamd's port
/// is the one the worker dials, and KEDA scales on the queues the worker really declares.
/// </summary>
public sealed class KubernetesManifestTests
{
    /// <summary>The worker's own table of sections, so a section it stops binding fails here too.</summary>
    private static readonly Dictionary<string, Type[]> Sections =
        SettingsCheck.Sections.ToDictionary(entry => entry.Section, entry => entry.Options, StringComparer.OrdinalIgnoreCase);

    private readonly Rendered _deploy = Rendered.Load(RepositoryRoot.Combine("deploy", "kustomization.yaml"));

    [Fact]
    public void Every_environment_key_is_one_the_worker_binds()
    {
        var keys = _deploy.Environment.Keys.ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.True(IsKnown(key), $"{key} is not a configuration key of the worker"));
        // The check itself can fail: a renamed key is caught.
        Assert.False(IsKnown("Messaging__ScanRequestQueue"));
        Assert.False(IsKnown("Clamd__MaxConcurrentScan"));
    }

    [Fact]
    public void Probes_ports_and_the_service_agree_with_what_the_worker_serves()
    {
        using var worker = BuildWorker();
        var routes = ((IEndpointRouteBuilder)worker).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Select(endpoint => endpoint.RoutePattern.RawText).ToHashSet(StringComparer.Ordinal);
        var container = _deploy.Container("Deployment", "scanworker", "scanworker");
        var http = worker.Services.GetRequiredService<IOptions<HttpOptions>>().Value;

        var ports = Seq(container["ports"]).Select(Map).ToDictionary(port => (string)port["name"], port => int.Parse((string)port["containerPort"]));
        Assert.Equal(http.Port, ports["http"]);
        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
        {
            var get = Map(Map(container[probe])["httpGet"]);
            Assert.Contains((string)get["path"], routes);
            Assert.True(ports.ContainsKey((string)get["port"]), $"{probe} uses port {get["port"]}, which the container does not name");
        }

        var service = _deploy.Single("Service", "scanworker");
        var target = Map(Seq(Map(service["spec"])["ports"]).Single())["targetPort"];
        Assert.True(ports.ContainsKey((string)target), $"the Service targets {target}, which the container does not name");
        Assert.Equal(Labels(_deploy.Single("Deployment", "scanworker"), "template"), Map(Map(service["spec"])["selector"]).ToDictionary(p => (string)p.Key, p => (string)p.Value!));
    }

    [Fact]
    public void Clamd_listens_where_the_worker_dials_and_the_slots_match_its_threads()
    {
        using var worker = BuildWorker();
        var clamd = worker.Services.GetRequiredService<IOptions<ClamdOptions>>().Value;
        var sidecar = _deploy.Container("Deployment", "scanworker", "clamd");
        var port = int.Parse((string)Map(Seq(sidecar["ports"]).Single())["containerPort"]);

        var address = ClamdAddress.Parse(clamd.Address);
        Assert.Equal($"tcp://127.0.0.1:{port}", address.ToString());
        var threads = File.ReadLines(RepositoryRoot.Combine("deploy", "clamd.conf")).Select(line => line.Split(' ', 2))
            .Single(parts => parts[0] == "MaxThreads")[1];
        Assert.Equal(int.Parse(threads), clamd.MaxConcurrentScans);
    }

    [Fact]
    public void Keda_scales_the_deployment_on_the_queues_the_worker_declares_and_not_on_the_backlog()
    {
        using var worker = BuildWorker();
        var messaging = worker.Services.GetRequiredService<IOptions<MessagingOptions>>().Value;
        var buckets = worker.Services.GetRequiredService<IOptions<BucketEventsOptions>>().Value;
        var scaled = _deploy.Single("ScaledObject", "scanworker");
        var spec = Map(scaled["spec"]);
        var triggers = Seq(spec["triggers"]).Select(Map).ToList();

        Assert.Equal("scanworker", Map(spec["scaleTargetRef"])["name"]);
        Assert.NotNull(_deploy.Single("Deployment", "scanworker"));
        Assert.All(triggers, trigger => Assert.Equal("rabbitmq", trigger["type"]));
        var queues = triggers.Select(trigger => (string)Map(trigger["metadata"])["queueName"]).Order(StringComparer.Ordinal).ToList();
        Assert.True(buckets.Enabled);
        Assert.Equal(new[] { buckets.ObjectsQueue, messaging.ScanRequestsQueue }.Order(StringComparer.Ordinal), queues);
        Assert.DoesNotContain(buckets.RescanQueue, queues);
        // KEDA reads the depth with a passive declare, which a quorum queue answers like any other.
        Assert.Equal(QueueType.Quorum, messaging.QueueType);
        Assert.All(triggers, trigger => Assert.Equal("amqp", Map(trigger["metadata"])["protocol"]));
    }

    private WebApplication BuildWorker()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        // As Kubernetes passes them: environment variables, "__" for ":".
        builder.Configuration.AddInMemoryCollection(_deploy.Environment.Select(pair => KeyValuePair.Create(pair.Key.Replace("__", ":", StringComparison.Ordinal), (string?)pair.Value)));
        builder.AddScanWorker();
        var app = builder.Build();
        app.MapScanWorkerEndpoints();
        return app;
    }

    private static bool IsKnown(string key)
    {
        var parts = key.Split("__");
        if (parts[0].Equals("Logging", StringComparison.OrdinalIgnoreCase) || ClamavRestAliases.Map.Any(alias => alias.Variable == key))
        {
            return parts.Length > 1 || parts[0] != "Logging";
        }

        // The longest section the key starts with (Clamd__Canary__Enabled is in Clamd:Canary, not Clamd).
        for (var depth = parts.Length - 1; depth >= 1; depth--)
        {
            if (Sections.TryGetValue(string.Join(':', parts[..depth]), out var types))
            {
                var property = types.Select(type => type.GetProperty(parts[depth], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase))
                    .FirstOrDefault(found => found is not null);
                // A deeper key (Http__ApiKeys__0) is an element of a collection or a member of an object.
                return property is not null
                    && (parts.Length == depth + 1 || (property.PropertyType != typeof(string) && !property.PropertyType.IsValueType));
            }
        }

        return false;
    }

    private static Dictionary<string, string> Labels(Dictionary<object, object> deployment, string part) =>
        Map(Map(Map(Map(deployment["spec"])[part])["metadata"])["labels"]).ToDictionary(p => (string)p.Key, p => (string)p.Value!);

    private static Dictionary<object, object> Map(object? node) => Assert.IsType<Dictionary<object, object>>(node);

    private static List<object> Seq(object? node) => Assert.IsType<List<object>>(node);

    /// <summary>The kustomization's resources, config map literals and the example secret, as kustomize renders them.</summary>
    private sealed class Rendered
    {
        private Rendered(List<Dictionary<object, object>> documents, Dictionary<string, string> environment)
        {
            Documents = documents;
            Environment = environment;
        }

        public List<Dictionary<object, object>> Documents { get; }

        /// <summary>What the worker container gets through envFrom: the generated config map and the secret.</summary>
        public Dictionary<string, string> Environment { get; }

        public static Rendered Load(string kustomization)
        {
            var root = Path.GetDirectoryName(kustomization)!;
            var main = ReadAll(kustomization).Single();
            var documents = Seq(main["resources"]).SelectMany(resource => ReadAll(Path.Combine(root, (string)resource))).ToList();
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            var generated = Seq(main["configMapGenerator"]).Select(Map).Single(map => (string)map["name"] == "scanworker-config");
            foreach (string literal in Seq(generated["literals"]))
            {
                var (key, value) = (literal[..literal.IndexOf('=', StringComparison.Ordinal)], literal[(literal.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                Assert.True(environment.TryAdd(key, value), $"{key} is set twice");
            }

            var secret = ReadAll(Path.Combine(root, "k8s", "secrets.example.yaml")).Single(doc => (string)doc["kind"] == "Secret"
                && (string)Map(doc["metadata"])["name"] == "scanworker-secrets");
            foreach (var (key, value) in Map(secret["stringData"]))
            {
                Assert.True(environment.TryAdd((string)key, (string)value), $"{key} is set twice");
            }

            return new Rendered(documents, environment);
        }

        public Dictionary<object, object> Single(string kind, string name) =>
            Documents.Single(doc => (string)doc["kind"] == kind && (string)Map(doc["metadata"])["name"] == name);

        public Dictionary<object, object> Container(string kind, string name, string container)
        {
            var pod = Map(Map(Map(Single(kind, name)["spec"])["template"])["spec"]);
            return Seq(pod["containers"]).Select(Map).Single(c => (string)c["name"] == container);
        }

        private static List<Dictionary<object, object>> ReadAll(string path)
        {
            using var reader = new StreamReader(path);
            var parser = new Parser(reader);
            var deserializer = new DeserializerBuilder().Build();
            var documents = new List<Dictionary<object, object>>();
            parser.Consume<StreamStart>();
            while (parser.Accept<DocumentStart>(out _))
            {
                if (deserializer.Deserialize(parser) is Dictionary<object, object> document)
                {
                    documents.Add(document);
                }
            }

            return documents;
        }
    }
}
