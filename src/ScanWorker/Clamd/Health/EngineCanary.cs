using Microsoft.Extensions.Options;
using ScanWorker.Diagnostics;

namespace ScanWorker.Clamd;

/// <summary>
/// Proves that clamd detects before any clean answer of it is trusted (a database that loads but detects nothing looks
/// exactly like a clean world). The samples of <see cref="EngineCanaryOptions"/> are scanned for each signature version
/// clamd reports, and again every <see cref="EngineCanaryOptions.Interval"/> (<see cref="ClamdMonitor"/>); a scan that
/// would be clean asks <see cref="CheckAsync"/> first, which runs the canary when this engine has not been proven yet.
/// A run that cannot reach clamd proves nothing either way: it keeps what was known.
/// </summary>
public sealed class EngineCanary(IClamdClient clamd, IOptions<EngineCanaryOptions> options, TimeProvider time, ILogger<EngineCanary> logger)
    : IDisposable
{
    private readonly SemaphoreSlim _running = new(1, 1);
    private volatile CanaryVerdict? _last;

    public bool IsEnabled => options.Value.Enabled;

    /// <summary>The last conclusive run, or null before the first.</summary>
    public CanaryVerdict? Last => _last;

    /// <summary>Null when a clean answer of the engine that reports <paramref name="engine"/> may be trusted; otherwise why not.</summary>
    public async ValueTask<string?> CheckAsync(ClamdVersion? engine, CancellationToken cancellationToken)
    {
        if (!IsEnabled)
        {
            return null;
        }

        return _last is { } last && last.Engine == Key(engine)
            ? last.Problem
            : (await RunAsync(engine, cancellationToken)).Problem;
    }

    /// <summary>True when the last conclusive run was against another engine or signature version than <paramref name="engine"/>.</summary>
    public bool IsUnprovenFor(ClamdVersion? engine) => _last is { } last && last.Engine != Key(engine);

    /// <summary>Scans every sample now (one run at a time; a caller that waited for another's run takes its verdict).</summary>
    public async Task<CanaryVerdict> RunAsync(ClamdVersion? engine, CancellationToken cancellationToken)
    {
        var key = Key(engine);
        var before = _last;
        await _running.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } fresh && !ReferenceEquals(fresh, before) && fresh.Engine == key)
            {
                return fresh;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.Timeout);
            try
            {
                var verdict = new CanaryVerdict(key, await ProbeAsync(timeout.Token), time.GetUtcNow());
                Publish(verdict);
                return verdict;
            }
            catch (Exception exception) when (ClamdFailure.Is(exception, cancellationToken))
            {
                var problem = exception is OperationCanceledException
                    ? $"the engine canary did not finish within {options.Value.Timeout}"
                    : $"the engine canary could not run: {exception.Message}";
                return _last is { } known && known.Engine == key ? known : new CanaryVerdict(key, problem, time.GetUtcNow());
            }
        }
        finally
        {
            _running.Release();
        }
    }

    private async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        IReadOnlyList<CanarySample> samples;
        try
        {
            samples = Samples();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"the canary samples cannot be listed: {exception.Message}";
        }

        foreach (var sample in samples)
        {
            try
            {
                await using var content = sample.Open();
                if (sample.Judge(await clamd.ScanAsync(content, cancellationToken)) is { } problem)
                {
                    problems.Add(problem);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{sample.Name} cannot be read: {exception.Message}");
            }
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private List<CanarySample> Samples()
    {
        var settings = options.Value;
        var samples = new List<CanarySample>();
        if (settings.Eicar)
        {
            samples.Add(CanarySample.Eicar);
        }

        if (!string.IsNullOrEmpty(settings.MustDetectDirectory))
        {
            samples.AddRange(CanarySample.FromDirectory(settings.MustDetectDirectory, mustDetect: true));
        }

        if (!string.IsNullOrEmpty(settings.MustBeCleanDirectory))
        {
            samples.AddRange(CanarySample.FromDirectory(settings.MustBeCleanDirectory, mustDetect: false));
        }

        if (!samples.Any(sample => sample.MustDetect))
        {
            throw new IOException($"{settings.MustDetectDirectory} holds no file, so nothing proves that clamd detects");
        }

        return samples;
    }

    private void Publish(CanaryVerdict verdict)
    {
        var previous = _last;
        _last = verdict;
        var flipped = previous is null || (previous.Problem is null) != (verdict.Problem is null);
        if (!flipped)
        {
            return;
        }

        if (verdict.Problem is { } problem)
        {
            logger.EngineCanaryFailed(problem);
        }
        else
        {
            logger.EngineCanaryPassed(verdict.Engine);
        }
    }

    private static string Key(ClamdVersion? engine) => engine?.Raw.TrimEnd('\0', '\n') ?? "(version unknown)";

    public void Dispose() => _running.Dispose();
}

/// <summary>One conclusive canary run: the engine it ran against (clamd's VERSION), the problem (null: passed), and when.</summary>
public sealed record CanaryVerdict(string Engine, string? Problem, DateTimeOffset At);
