using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace ScanWorker.Http;

/// <summary>
/// Lets one cleartext Kestrel endpoint serve HTTP/1.1 and HTTP/2 with prior knowledge (h2c), as
/// clamav-rest does on its port. Kestrel picks HTTP/2 on an Http1AndHttp2 endpoint only when TLS
/// negotiated "h2" by ALPN; without TLS it always falls back to HTTP/1.1
/// (https://github.com/dotnet/aspnetcore/issues/56984). This connection middleware peeks at the first
/// bytes without consuming them and, when they are the HTTP/2 preface, tells Kestrel the application
/// protocol is h2 the way a TLS handshake would. Nothing is consumed, so HTTP/1.1 requests pass
/// through untouched. Kestrel then treats the connection as secure for scheme checks, which is why
/// the endpoint allows alternate schemes (an h2c client sends <c>:scheme http</c>).
/// </summary>
public static class CleartextHttp2Detection
{
    /// <summary>
    /// The middleware. Kestrel arms its own timeouts only once it owns the connection, so the peek has a deadline
    /// of its own (<paramref name="deadline"/>, the headers timeout): a connection that sends nothing, or only part
    /// of the preface, is closed then instead of being held forever.
    /// </summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(TimeSpan deadline) => next => async connection =>
    {
        var input = connection.Transport.Input;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        timeout.CancelAfter(deadline);
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(timeout.Token);
                var verdict = Http2Preface.Classify(read.Buffer);
                if (verdict == Http2Preface.Verdict.NeedMoreData && !read.IsCompleted && !read.IsCanceled)
                {
                    input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                    continue;
                }

                input.AdvanceTo(read.Buffer.Start);
                if (verdict == Http2Preface.Verdict.Http2)
                {
                    connection.Features.Set<ITlsApplicationProtocolFeature>(PriorKnowledge.Instance);
                    connection.Features.Set<ITlsConnectionFeature>(PriorKnowledge.Instance);
                }

                break;
            }
        }
        catch (OperationCanceledException)
        {
            // Idle or half-sent past the deadline, or closed by the peer: nothing to serve.
            connection.Abort(new ConnectionAbortedException("no request within the headers timeout"));
            return;
        }

        await next(connection);
    };

    private sealed class PriorKnowledge : ITlsApplicationProtocolFeature, ITlsConnectionFeature
    {
        public static readonly PriorKnowledge Instance = new();

        private static readonly byte[] H2 = "h2"u8.ToArray();

        public ReadOnlyMemory<byte> ApplicationProtocol => H2;

        // No TLS, so no client certificate; the setter ignores writes so the shared instance stays empty.
        public X509Certificate2? ClientCertificate
        {
            get => null;
            set { }
        }

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
    }
}
