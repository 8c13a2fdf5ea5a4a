using Microsoft.Extensions.Options;
using ScanWorker.Diagnostics;

namespace ScanWorker.Clamd;

/// <summary>
/// Whether clamd's signatures are young enough to trust a clean answer (<see cref="ClamdOptions.MaxSignatureAge"/>).
/// With a maximum set, signatures of unknown age are stale too: freshness that cannot be shown is not
/// assumed. Each change between fresh and stale is logged once.
/// </summary>
public sealed class SignatureFreshness(IOptions<ClamdOptions> options, TimeProvider time, ILogger<SignatureFreshness> logger)
{
    private int _stale = -1;

    public bool IsEnabled => options.Value.MaxSignatureAge is not null;

    /// <summary>Null when fresh (or not checked); otherwise why the signatures are stale.</summary>
    public string? Evaluate(ClamdVersion? version)
    {
        if (options.Value.MaxSignatureAge is not { } maximum)
        {
            return null;
        }

        var problem = version?.SignatureDate is not { } date
            ? "clamd reports no signature date, so their age cannot be checked"
            : time.GetUtcNow() - date > maximum
                ? $"signatures of {date:u} are older than the allowed {maximum}"
                : null;
        var stale = problem is null ? 0 : 1;
        if (Interlocked.Exchange(ref _stale, stale) != stale)
        {
            if (problem is null)
            {
                logger.SignaturesFresh(version?.SignatureVersion, version?.SignatureDate);
            }
            else
            {
                logger.SignaturesStale(problem);
            }
        }

        return problem;
    }
}
