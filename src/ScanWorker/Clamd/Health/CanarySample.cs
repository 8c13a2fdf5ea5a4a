using System.Text;

namespace ScanWorker.Clamd;

/// <summary>One file the engine canary scans, and the answer clamd owes for it.</summary>
/// <param name="Name">How problems name it: "the built-in EICAR sample" or the file's path.</param>
/// <param name="MustDetect">True: clamd must report it FOUND; false: clamd must call it clean.</param>
/// <param name="Open">Opens its content; the caller disposes the stream.</param>
public sealed record CanarySample(string Name, bool MustDetect, Func<Stream> Open)
{
    /// <summary>
    /// The 68-byte EICAR test file, assembled from two halves at run time so that no file of this project, source or
    /// binary, carries it whole and gets flagged itself.
    /// </summary>
    public static CanarySample Eicar { get; } = new("the built-in EICAR sample", MustDetect: true, () => new MemoryStream(
        Encoding.ASCII.GetBytes(string.Concat(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR", "-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")), writable: false));

    /// <summary>The regular files directly in <paramref name="directory"/>, in name order.</summary>
    public static IEnumerable<CanarySample> FromDirectory(string directory, bool mustDetect) =>
        Directory.EnumerateFiles(directory)
            .Order(StringComparer.Ordinal)
            .Select(path => new CanarySample(path, mustDetect, () => File.OpenRead(path)));

    /// <summary>Null when clamd's answer is the one owed for this sample; otherwise what was wrong, in one line.</summary>
    public string? Judge(ClamdAnswer result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return (MustDetect, result.Reply) switch
        {
            (true, ClamdReply.Infected) => null,
            (false, ClamdReply.Clean) when result.StreamCompleted => null,
            (true, ClamdReply.Clean) => $"{Name} was not detected (clamd answered OK)",
            (false, ClamdReply.Infected infected) => $"{Name} must be clean but was detected as {string.Join(", ", infected.Signatures)}",
            _ => $"{Name}: clamd answered '{result.Reply.Raw}'",
        };
    }
}
