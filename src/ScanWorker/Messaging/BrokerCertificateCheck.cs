using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ScanWorker.Diagnostics;

namespace ScanWorker.Messaging;

/// <summary>
/// Decides whether the broker's TLS certificate is trusted, before the handshake ends and so before any credential is
/// sent: its chain must end in a trusted root (the system store, or only the configured CA when one is given) and it
/// must carry the expected name. (MassTransit's default accepts any chain, so a self-signed certificate for the
/// broker's name would receive the password.) Each distinct rejection is logged once.
/// </summary>
internal sealed class BrokerCertificateCheck(X509Certificate2Collection? trustedRoots, ILogger logger)
{
    private string? _lastRejection;

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var problem = Problem(certificate, chain, errors);
        if (problem is not null && Interlocked.Exchange(ref _lastRejection, problem) != problem)
        {
            logger.BrokerCertificateRejected(problem);
        }

        return problem is null;
    }

    /// <summary>Null when trusted; otherwise why not, in one line.</summary>
    internal string? Problem(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the broker presented no certificate";
        }

        var subject = certificate.Subject;
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"the broker's certificate ({subject}) is not for the name the worker connects to (RabbitMq__Host, or RabbitMq__ServerName)";
        }

        if (trustedRoots is null)
        {
            return errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors)
                ? $"the broker's certificate ({subject}) does not chain to a root this system trusts ({Status(chain)}); for a private CA set RabbitMq__CaCertificate"
                : null;
        }

        // A private CA: the chain must end in one of the configured roots, whatever the system store holds.
        using var leaf = new X509Certificate2(certificate);
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(trustedRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(leaf)
            ? null
            : $"the broker's certificate ({subject}) does not chain to the CA in RabbitMq__CaCertificate ({Status(custom)})";
    }

    private static string Status(X509Chain? chain) =>
        chain is null || chain.ChainStatus.Length == 0
            ? "no chain"
            : string.Join(", ", chain.ChainStatus.Select(status => status.Status.ToString()).Distinct());
}
