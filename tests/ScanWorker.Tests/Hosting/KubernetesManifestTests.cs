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
/// Every deployment shape of deploy/ (the base and its overlays, with the optional components) rendered by kustomize
/// itself and held against the worker: every environment key is one the worker binds (a renamed option breaks this
/// test, not the cluster), the probes and the Service hit endpoints and ports the worker really serves, clamd's port is
/// the one the worker dials, KEDA scales on the queues the worker really declares, and only the parts that need a CRD
/// or a ReadWriteMany volume bring them (issue 24).
/// </summary>
public sealed class KubernetesManifestTests
{
    /// <summary>The worker's own table of sections, so a section it stops binding fails here too.</summary>
    private static readonly Dictionary<string, Type[]> Sections =
        SettingsCheck.Sections.ToDictionary(entry => entry.Section, entry => entry.Options, StringComparer.OrdinalIgnoreCase);

    public static TheoryData<string> Shapes() => ["http-only", "mount-queue", "s3-queue", "bucket-events"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_environment_key_is_one_the_worker_binds(string shape)
    {
        var keys = Rendered.Shape(shape).Environment.Keys.ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.True(IsKnown(key), $"{shape}: {key} is not a configuration key of the worker"));
        // The check itself can fail: a renamed key is caught.
        Assert.False(IsKnown("Messaging__ScanRequestQueue"));
        Assert.False(IsKnown("Clamd__MaxConcurrentScan"));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Probes_ports_and_the_service_agree_with_what_the_worker_serves(string shape)
    {
        var deploy = Rendered.Shape(shape);
        using var worker = BuildWorker(deploy);
        var routes = ((IEndpointRouteBuilder)worker).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Select(endpoint => endpoint.RoutePattern.RawText).ToHashSet(StringComparer.Ordinal);
        var container = deploy.Container("Deployment", "scanworker", "scanworker");
        var http = worker.Services.GetRequiredService<IOptions<HttpOptions>>().Value;

        var ports = Seq(container["ports"]).Select(Map).ToDictionary(port => (string)port["name"], port => int.Parse((string)port["containerPort"]));
        Assert.Equal(http.Port, ports["http"]);
        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
        {
            var get = Map(Map(container[probe])["httpGet"]);
            Assert.Contains((string)get["path"], routes);
            Assert.True(ports.ContainsKey((string)get["port"]), $"{probe} uses port {get["port"]}, which the container does not name");
        }

        var service = deploy.Single("Service", "scanworker");
        var target = Map(Seq(Map(service["spec"])["ports"]).Single())["targetPort"];
        Assert.True(ports.ContainsKey((string)target), $"the Service targets {target}, which the container does not name");
        Assert.Equal(Labels(deploy.Single("Deployment", "scanworker"), "template"), Map(Map(service["spec"])["selector"]).ToDictionary(p => (string)p.Key, p => (string)p.Value!));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Clamd_listens_where_the_worker_dials_and_the_slots_match_its_threads(string shape)
    {
        var deploy = Rendered.Shape(shape);
        using var worker = BuildWorker(deploy);
        var clamd = worker.Services.GetRequiredService<IOptions<ClamdOptions>>().Value;
        var sidecar = deploy.Container("Deployment", "scanworker", "clamd");
        var port = int.Parse((string)Map(Seq(sidecar["ports"]).Single())["containerPort"]);

        var address = ClamdAddress.Parse(clamd.Address);
        Assert.Equal($"tcp://127.0.0.1:{port}", address.ToString());
        var threads = File.ReadLines(RepositoryRoot.Combine("deploy", "base", "clamd.conf")).Select(line => line.Split(' ', 2))
            .Single(parts => parts[0] == "MaxThreads")[1];
        Assert.Equal(int.Parse(threads), clamd.MaxConcurrentScans);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_shape_needs_no_CRD_and_only_the_mount_shape_a_ReadWriteMany_volume(string shape)
    {
        var deploy = Rendered.Shape(shape);
        var kinds = deploy.Documents.Select(doc => (string)doc["kind"]).ToHashSet(StringComparer.Ordinal);
        var readWriteMany = deploy.Documents.Where(doc => (string)doc["kind"] == "PersistentVolumeClaim"
            && Seq(Map(doc["spec"])["accessModes"]).Contains("ReadWriteMany")).Select(doc => (string)Map(doc["metadata"])["name"]).ToList();

        Assert.Empty(kinds.Except(["Namespace", "ConfigMap", "Service", "Deployment", "PodDisruptionBudget", "PersistentVolumeClaim"]));
        Assert.Equal(shape == "mount-queue" ? ["scanworker-uploads"] : [], readWriteMany);
        if (shape == "mount-queue")
        {
            // The worker's mount root is where the volume is mounted (the path itself exists only in the pod).
            var mounted = Seq(deploy.Container("Deployment", "scanworker", "scanworker")["volumeMounts"]).Select(Map)
                .Single(volume => (string)volume["name"] == "uploads");
            Assert.Equal(deploy.Environment["Mount__Root"], (string)mounted["mountPath"]);
            Assert.Equal("true", Map(mounted)["readOnly"]);
        }
    }

    [Theory]
    [InlineData("s3-queue", new[] { "keda" })]
    [InlineData("bucket-events", new[] { "keda", "keda-bucket-events" })]
    [InlineData("bucket-events", new[] { "keda", "keda-bucket-events", "shared-signatures" })]
    public void With_the_keda_component_KEDA_scales_on_the_queues_the_worker_declares_and_not_on_the_backlog(string shape, string[] components)
    {
        var deploy = Rendered.Shape(shape, components);
        using var worker = BuildWorker(deploy);
        var messaging = worker.Services.GetRequiredService<IOptions<MessagingOptions>>().Value;
        var buckets = worker.Services.GetRequiredService<IOptions<BucketEventsOptions>>().Value;
        var scaled = deploy.Single("ScaledObject", "scanworker");
        var spec = Map(scaled["spec"]);
        var triggers = Seq(spec["triggers"]).Select(Map).ToList();

        Assert.Equal("scanworker", Map(spec["scaleTargetRef"])["name"]);
        Assert.All(triggers, trigger => Assert.Equal("rabbitmq", trigger["type"]));
        var queues = triggers.Select(trigger => (string)Map(trigger["metadata"])["queueName"]).Order(StringComparer.Ordinal).ToList();
        var expected = buckets.Enabled ? new[] { buckets.ObjectsQueue, messaging.ScanRequestsQueue } : [messaging.ScanRequestsQueue];
        Assert.Equal(expected.Order(StringComparer.Ordinal), queues);
        Assert.DoesNotContain(buckets.RescanQueue, queues);
        // KEDA reads the depth with a passive declare, which a quorum queue answers like any other.
        Assert.Equal(QueueType.Quorum, messaging.QueueType);
        Assert.All(triggers, trigger => Assert.Equal("amqp", Map(trigger["metadata"])["protocol"]));
    }

    [Fact]
    public void The_shared_signatures_component_gives_every_sidecar_the_one_volume_freshclam_writes()
    {
        var deploy = Rendered.Shape("s3-queue", ["shared-signatures"]);
        var pod = Map(Map(Map(deploy.Single("Deployment", "scanworker")["spec"])["template"])["spec"]);
        var volume = Seq(pod["volumes"]).Select(Map).Single(v => (string)v["name"] == "clamav-db");
        var freshclam = Map(Map(Map(deploy.Single("Deployment", "freshclam")["spec"])["template"])["spec"]);

        Assert.Equal("clamav-db", Map(volume["persistentVolumeClaim"])["claimName"]);
        Assert.False(volume.ContainsKey("emptyDir"));
        Assert.Equal("clamav-db", Map(Seq(freshclam["volumes"]).Select(Map).Single()["persistentVolumeClaim"])["claimName"]);
        var sidecarEnv = Seq(deploy.Container("Deployment", "scanworker", "clamd")["env"]).Select(Map).ToDictionary(e => (string)e["name"], e => (string)e["value"]);
        Assert.Equal("true", sidecarEnv["CLAMAV_NO_FRESHCLAMD"]);
    }

    private static WebApplication BuildWorker(Rendered deploy)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        // As Kubernetes passes them: environment variables, "__" for ":".
        builder.Configuration.AddInMemoryCollection(deploy.Environment.Select(pair => KeyValuePair.Create(pair.Key.Replace("__", ":", StringComparison.Ordinal), (string?)pair.Value)));
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

    /// <summary>A shape as kustomize renders it (kubectl kustomize), and the environment its worker container gets.</summary>
    private sealed class Rendered
    {
        private Rendered(List<Dictionary<object, object>> documents, Dictionary<string, string> environment)
        {
            Documents = documents;
            Environment = environment;
        }

        public List<Dictionary<object, object>> Documents { get; }

        /// <summary>What the worker container gets through envFrom: the generated config map and the overlay's example secret.</summary>
        public Dictionary<string, string> Environment { get; }

        /// <summary>deploy/overlays/<paramref name="shape"/>, with <paramref name="components"/> added as a user's own overlay adds them.</summary>
        public static Rendered Shape(string shape, string[]? components = null)
        {
            var overlay = RepositoryRoot.Combine("deploy", "overlays", shape);
            var root = overlay;
            if (components is { Length: > 0 })
            {
                // kustomize takes only relative paths: a throw-away overlay beside the build outputs.
                root = RepositoryRoot.Combine("artifacts", "kustomize", $"{shape}+{string.Join('+', components)}");
                Directory.CreateDirectory(root);
                File.WriteAllText(Path.Combine(root, "kustomization.yaml"),
                    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n" +
                    $"  - ../../../deploy/overlays/{shape}\ncomponents:\n" + string.Concat(components.Select(c => $"  - ../../../deploy/components/{c}\n")));
            }

            var documents = ReadAll(Kustomize(root));
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            var config = documents.Single(doc => (string)doc["kind"] == "ConfigMap" && ((string)Map(doc["metadata"])["name"]).StartsWith("scanworker-config", StringComparison.Ordinal));
            foreach (var (key, value) in Map(config["data"]))
            {
                environment[(string)key] = (string?)value ?? string.Empty;
            }

            var secrets = Path.Combine(overlay, "secrets.example.env");
            foreach (var line in File.Exists(secrets) ? File.ReadLines(secrets) : [])
            {
                var equals = line.IndexOf('=', StringComparison.Ordinal);
                Assert.True(environment.TryAdd(line[..equals], line[(equals + 1)..]), $"{line[..equals]} is set twice");
            }

            return new Rendered(documents, environment);
        }

        private static string Kustomize(string directory)
        {
            if (!File.Exists("/usr/bin/kubectl") && !File.Exists("/usr/local/bin/kubectl"))
            {
                Assert.Skip("kubectl is not installed: the manifests cannot be rendered (scripts/check-deploy.sh says the same)");
            }

            var start = new System.Diagnostics.ProcessStartInfo("kubectl", ["kustomize", directory]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(60_000), "kubectl kustomize did not finish within 60 s");
            Assert.True(process.ExitCode == 0, $"kubectl kustomize {directory}: {errors.Result}");
            return output.Result;
        }

        public Dictionary<object, object> Single(string kind, string name) =>
            Documents.Single(doc => (string)doc["kind"] == kind && (string)Map(doc["metadata"])["name"] == name);

        public Dictionary<object, object> Container(string kind, string name, string container)
        {
            var pod = Map(Map(Map(Single(kind, name)["spec"])["template"])["spec"]);
            return Seq(pod["containers"]).Select(Map).Single(c => (string)c["name"] == container);
        }

        private static List<Dictionary<object, object>> ReadAll(string yaml)
        {
            using var reader = new StringReader(yaml);
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
