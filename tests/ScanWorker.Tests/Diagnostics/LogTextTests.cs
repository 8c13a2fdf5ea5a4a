using FsCheck;
using FsCheck.Fluent;
using ScanWorker.Diagnostics;

namespace ScanWorker.Tests.Diagnostics;

/// <summary>Log messages carry names chosen by uploaders; what would forge lines or drive a terminal is escaped.</summary>
public sealed class LogTextTests
{
    [Theory]
    [InlineData("s3://in/ok\r\n2026-12-08T00:00:00Z info: forged.txt", @"s3://in/ok\r\n2026-12-08T00:00:00Z info: forged.txt")]
    [InlineData("a\u001b[2Jb", @"a\u001b[2Jb")]
    [InlineData("nul\0del\u007fc1\u0085", @"nul\u0000del\u007fc1\u0085")]
    [InlineData("ok\u202etxt.exe", @"ok\u202etxt.exe")]
    [InlineData("line\u2028sep", @"line\u2028sep")]
    public void Line_breaks_escapes_and_direction_overrides_are_written_as_escapes(string message, string expected)
    {
        Assert.Equal(expected, LogText.Escape(message));
    }

    [Theory]
    [InlineData("s3://scan-input/Ünïcödé/файл 名前.pdf")]
    [InlineData("a\ttab is left as it is")]
    [InlineData(@"C:\not\a\newline")]
    public void Anything_else_is_the_same_string(string message)
    {
        Assert.Same(message, LogText.Escape(message));
    }

    [Fact]
    public void No_string_escapes_to_a_control_or_direction_character_and_a_safe_one_is_unchanged() =>
        Prop.ForAll(Gen.Elements('a', 'Z', ' ', '\\', '\t', '\n', '\r', '\0', '\u001b', '\u007f', '\u0085', '\u2028', '\u202e', '\u2066', 'é', '名')
                .ListOf()
                .Select(characters => string.Concat(characters))
                .ToArbitrary(),
            message =>
            {
                var escaped = LogText.Escape(message);
                static bool Unsafe(char c) => (char.IsControl(c) && c != '\t') || c is '\u2028' or '\u2029' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069');
                return !escaped.Any(Unsafe) && (message.Any(Unsafe) || ReferenceEquals(escaped, message));
            }).QuickCheckThrowOnFailure();
}
