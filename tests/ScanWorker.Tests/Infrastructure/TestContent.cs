using System.IO.Compression;
using System.Text;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>Test inputs, built at run time so no file in the repository is itself flagged by a scanner.</summary>
internal static class TestContent
{
    /// <summary>The 68-byte EICAR test file, assembled from two halves.</summary>
    public static byte[] Eicar { get; } = Encoding.ASCII.GetBytes(
        string.Concat(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR", "-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"));

    public static byte[] CleanText { get; } = Encoding.ASCII.GetBytes("Just an ordinary document. Nothing to see here.\n");

    /// <summary><paramref name="length"/> random bytes: content clamd has never seen, so its clean cache cannot answer for it.</summary>
    public static byte[] Unique(int length) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(length);

    /// <summary>A zip archive holding one member.</summary>
    public static byte[] Zip(string memberName, byte[] member) => Zip((memberName, member));

    /// <summary>A zip archive holding the given members, deflated.</summary>
    public static byte[] Zip(params (string Name, byte[] Content)[] members)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in members)
            {
                using var entryStream = archive.CreateEntry(name, CompressionLevel.Optimal).Open();
                entryStream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A forward-only stream of <paramref name="length"/> harmless bytes that allocates nothing per read.</summary>
    public static Stream Pattern(long length) => new PatternStream(length);

    /// <summary>A forward-only stream over bytes (no seeking), as S3 and HTTP bodies are.</summary>
    public static Stream ForwardOnly(byte[] bytes) => new ForwardOnlyStream(new MemoryStream(bytes, writable: false));
}
