using System.Collections.Concurrent;
using System.Reflection;
using Amazon.S3;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>Wraps the real S3 client and records the calls made through it.</summary>
public class CountingS3 : DispatchProxy
{
    private IAmazonS3 _inner = null!;

    public ConcurrentDictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

    /// <summary>The first argument of every call (the request object, for the SDK's request-style methods).</summary>
    public ConcurrentQueue<object?> Requests { get; } = new();

    public static (IAmazonS3 Client, CountingS3 Counter) Wrap(IAmazonS3 inner)
    {
        var proxy = Create<IAmazonS3, CountingS3>();
        var counter = (CountingS3)(object)proxy;
        counter._inner = inner;
        return (proxy, counter);
    }

    /// <summary>Runs before every call is forwarded, with the method name and the request; may throw to simulate a failure.</summary>
    public Action<string, object?>? BeforeCall { get; set; }

    public int CallsTo(string method) => Calls.TryGetValue(method, out var count) ? count : 0;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        Calls.AddOrUpdate(targetMethod.Name, 1, (_, count) => count + 1);
        Requests.Enqueue(args is { Length: > 0 } ? args[0] : null);
        BeforeCall?.Invoke(targetMethod.Name, args is { Length: > 0 } ? args[0] : null);
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }
    }
}
