using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using ScanWorker.Hosting;
using ScanWorker.Tests.Infrastructure;
using YamlDotNet.Serialization;

namespace ScanWorker.Tests.Hosting;

/// <summary>
/// docker-compose.yml's worker, as `docker compose up` would start it after scripts/compose-env.sh: every key one the
/// worker knows, no secret with a default, and the worker really starts with that environment (only the addresses of
/// the servers replaced by the fixture's) with its scan endpoints behind the generated API key.
/// </summary>
[Collection(ClusterTests.Name)] // the default queue and exchange names, shared with the deployment-shape tests
[RealServers]
public sealed partial class ComposeEnvironmentTests(TestServers servers)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact(Timeout = 60_000)]
    public async Task Every_secret_must_be_given_and_every_key_is_one_the_worker_binds()
    {
        var (raw, environment) = await ComposeWorkerAsync();

        Assert.All(new[] { "RabbitMq__Pass", "S3__SecretKey", "Http__ApiKeys__0" }, key => Assert.Matches(@"^\$\{\w+:\?", raw[key]));
        Assert.DoesNotContain(raw.Values, value => value.Contains("change-me", StringComparison.Ordinal));
        Assert.NotEqual("minio-admin", environment["S3__AccessKey"]);
        var report = SettingsCheck.Check(new ConfigurationBuilder()
            .AddInMemoryCollection(environment.ToDictionary(pair => pair.Key.Replace("__", ":", StringComparison.Ordinal), pair => (string?)pair.Value))
            .Build(), new Dictionary<string, string>());
        Assert.Empty(report.Errors);
        Assert.Empty(report.Warnings);
    }

    [Fact(Timeout = 180_000)]
    public async Task The_worker_starts_with_the_compose_environment_and_its_scan_endpoints_need_the_generated_key()
    {
        var (_, environment) = await ComposeWorkerAsync();
        var clamd = await servers.ClamdAsync();
        var broker = await servers.RabbitMqAsync();
        var s3 = await servers.S3Async();
        var port = FreePort.Next();
        environment["Clamd__Address"] = clamd.Tcp.ToString();
        environment["RabbitMq__Host"] = broker.Amqp.Host;
        environment["RabbitMq__Port"] = broker.Amqp.Port.ToString(CultureInfo.InvariantCulture);
        environment["RabbitMq__User"] = broker.User;
        environment["RabbitMq__Pass"] = broker.Password;
        environment["S3__ServiceUrl"] = s3.ServiceUrl.ToString();
        environment["S3__AccessKey"] = s3.AccessKey;
        environment["S3__SecretKey"] = s3.SecretKey;
        environment["Http__Port"] = port.ToString(CultureInfo.InvariantCulture);
        // The test signatures carry no date, which Clamd__MaxSignatureAge rightly counts as stale (clean answers 503).
        environment.Remove("Clamd__MaxSignatureAge");
        var key = environment["Http__ApiKeys__0"];

        await using var worker = WorkerProcess.Start(environment);
        await worker.WaitForOutputAsync("Consuming from queue scan-requests", Timeout);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Timeout };
        using var anonymous = await PostAsync(http, null);
        using var keyed = await PostAsync(http, key);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        Assert.DoesNotContain("cannot start", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, worker.Output, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/scan")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent(TestContent.CleanText), "file", "clean.txt" } },
        };
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }

        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The scanworker service's environment as written, and interpolated as compose would with compose-env.sh's secrets.</summary>
    private static async Task<(Dictionary<string, string> Raw, Dictionary<string, string> Interpolated)> ComposeWorkerAsync()
    {
        var envFile = Path.GetTempFileName();
        try
        {
            using (var script = Process.Start("bash", [RepositoryRoot.Combine("scripts", "compose-env.sh"), envFile]))
            {
                await script.WaitForExitAsync(TestContext.Current.CancellationToken);
                Assert.Equal(0, script.ExitCode);
            }

            var secrets = (await File.ReadAllLinesAsync(envFile, TestContext.Current.CancellationToken))
                .Select(line => line.Split('=', 2))
                .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
            var compose = new DeserializerBuilder().Build()
                .Deserialize<Dictionary<string, object>>(await File.ReadAllTextAsync(RepositoryRoot.Combine("docker-compose.yml"), TestContext.Current.CancellationToken));
            var services = (Dictionary<object, object>)compose["services"];
            var worker = (Dictionary<object, object>)services["scanworker"];
            var raw = ((Dictionary<object, object>)worker["environment"]).ToDictionary(pair => (string)pair.Key, pair => (string)pair.Value, StringComparer.Ordinal);
            var interpolated = raw.ToDictionary(pair => pair.Key, pair => Variable().Replace(pair.Value, match =>
                secrets.TryGetValue(match.Groups["name"].Value, out var secret) ? secret
                : match.Groups["op"].Value == "?" ? throw new InvalidOperationException($"{pair.Key} needs {match.Groups["name"].Value}")
                : match.Groups["default"].Value), StringComparer.Ordinal);
            return (raw, interpolated);
        }
        finally
        {
            File.Delete(envFile);
        }
    }

    [GeneratedRegex(@"\$\{(?<name>\w+)(?::(?<op>[-?])(?<default>[^}]*))?\}")]
    private static partial Regex Variable();
}
