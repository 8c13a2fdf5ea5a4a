using System.Text;

namespace ScanWorker.Bench;

/// <summary>
/// What every bench path sends: pseudo-random bytes (xorshift, fixed seed, as bench/raw/raw-instream.c and
/// bench/wrk-upload.lua make them) whose first bytes are unique per request, stamped in one form on every path
/// ("bench &lt;path&gt; &lt;hex&gt; &lt;n&gt;"). clamd keeps a cache of clean results by content hash, so content sent
/// twice costs it a fraction of a new scan; and its cost depends on the first bytes, so the paths stamp alike.
/// </summary>
internal static class BenchContent
{
    public static byte[] Base(long size)
    {
        var content = new byte[size];
        var x = 2463534242u;
        for (var i = 0; i < content.Length; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            content[i] = (byte)x;
        }

        return content;
    }

    /// <summary>A copy of <paramref name="content"/> whose first bytes are <paramref name="stamp"/> and a newline.</summary>
    public static byte[] Stamped(byte[] content, string stamp)
    {
        var copy = (byte[])content.Clone();
        var text = Encoding.ASCII.GetBytes(stamp + "\n");
        text.AsSpan(0, Math.Min(text.Length, copy.Length)).CopyTo(copy);
        return copy;
    }
}
