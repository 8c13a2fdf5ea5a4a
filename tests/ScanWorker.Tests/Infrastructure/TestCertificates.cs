using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>
/// A private CA made for one test, and certificates it (or nobody) signed, written as PEM files into a temp directory
/// for a broker and for the worker's settings.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly RSA _caKey = RSA.Create(2048);

    public TestCertificates()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("scanworker-tls-").FullName;
        var request = new CertificateRequest("CN=ScanWorker Test CA", _caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        CaFile = Write("ca.pem", Ca.ExportCertificatePem());
    }

    public string Directory { get; }

    public X509Certificate2 Ca { get; }

    public string CaFile { get; }

    /// <summary>A certificate for <paramref name="dnsName"/> (and 127.0.0.1), signed by the CA, or self-signed; with its key.</summary>
    public Issued Issue(string name, string dnsName, bool signedByCa = true, bool client = false)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(client ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1")], false));
        var notBefore = DateTimeOffset.UtcNow.AddHours(-1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(1);
        X509Certificate2 certificate;
        if (signedByCa)
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));
            using var signed = request.Create(Ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
            certificate = signed.CopyWithPrivateKey(key);
        }
        else
        {
            certificate = request.CreateSelfSigned(notBefore, notAfter);
        }

        return new Issued(certificate, Write($"{name}.pem", certificate.ExportCertificatePem()), Write($"{name}-key.pem", key.ExportPkcs8PrivateKeyPem()));
    }

    private string Write(string file, string pem)
    {
        var path = Path.Combine(Directory, file);
        File.WriteAllText(path, pem);
        return path;
    }

    public void Dispose()
    {
        Ca.Dispose();
        _caKey.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>A certificate with its private key, and where its PEM files are.</summary>
    public sealed record Issued(X509Certificate2 Certificate, string CertificateFile, string KeyFile) : IDisposable
    {
        public void Dispose() => Certificate.Dispose();
    }
}
