using Microsoft.Extensions.Options;

namespace ScanWorker.Hosting;

/// <summary>
/// How the worker refuses to start on bad settings: every problem on its own plain line on stderr, no stack trace, and
/// exit code 78 (EX_CONFIG), so an orchestrator and a person both see a configuration error, not a crash.
/// </summary>
public static class StartupRefusal
{
    /// <summary>sysexits.h EX_CONFIG.</summary>
    public const int ExitCode = 78;

    public static int Refuse(IEnumerable<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"ScanWorker cannot start: {problem}");
        }

        return ExitCode;
    }

    /// <summary>
    /// Builds the host, maps the endpoints and runs the worker; a setting that fails validation (wherever a service first
    /// needs it: building the host already reads some, mapping the health checks builds the bus) ends it with <see cref="Refuse"/>.
    /// </summary>
    public static async Task<int> RunAsync(WebApplicationBuilder builder, Action<WebApplication> map)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(map);
        try
        {
            await using var app = builder.Build();
            map(app);
            await app.RunAsync();
            return 0;
        }
        catch (Exception exception) when (Problems(exception) is { Count: > 0 } first)
        {
            // The host stops at the first options class that fails; the user should see every problem at once.
            var environment = Environment.GetEnvironmentVariables();
            return Refuse(first.Concat(EveryOptionsProblem(builder.Services)).Distinct(StringComparer.Ordinal)
                .Select(problem => SettingsCheck.Explain(problem, builder.Configuration, environment)));
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "ASP0000:Do not call 'IServiceCollection.BuildServiceProvider'",
        Justification = "Only on the way out, to read every options class once; nothing of this provider is used after.")]
    private static List<string> EveryOptionsProblem(IServiceCollection services)
    {
        var problems = new List<string>();
        using var provider = services.BuildServiceProvider();
        foreach (var type in SettingsCheck.OptionsTypes)
        {
            try
            {
                var options = provider.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
                _ = options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options);
            }
            catch (System.Reflection.TargetInvocationException exception) when (exception.InnerException is { } inner)
            {
                problems.AddRange(Problems(inner));
            }
        }

        return problems;
    }

    private static List<string> Problems(Exception exception) => exception switch
    {
        OptionsValidationException validation => [.. validation.Failures],
        AggregateException aggregate => [.. aggregate.InnerExceptions.SelectMany(Problems)],
        // The binder's own conversion errors, for any setting the check before start does not cover.
        InvalidOperationException { Message: var message } when message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            [message],
        _ => [],
    };
}
