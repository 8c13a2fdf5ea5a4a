using System.Text;
using FsCheck;
using FsCheck.Fluent;
using ScanWorker.Buckets;
using ScanWorker.Clamd;
using ScanWorker.Http;
using ScanWorker.Scanning;
using ScanWorker.Sources;

namespace ScanWorker.Tests.Properties;

/// <summary>
/// The pure rules as properties (FsCheck): what must hold for every input, not just the examples the other tests
/// name. A failure prints the smallest input it found.
/// </summary>
public sealed class PureRuleProperties
{
    private static readonly Arbitrary<string> Strings = ArbMap.Default.ArbFor<string>().Filter(text => text is not null);

    /// <summary>Path segments an attacker would combine: parents, dots, empty, absolute, control characters, unicode.</summary>
    private static readonly Arbitrary<string> HostilePaths = Gen.Elements("a", "b", "..", ".", "", "/", "/etc", "x\ny", "ü", "...", "a..b", "\0")
        .ListOf()
        .Select(segments => string.Join('/', segments))
        .ToArbitrary();

    [Fact]
    public void No_clean_outcome_survives_a_failed_canary_or_stale_signatures_and_no_infected_one_is_lost() =>
        Prop.ForAll((
                from reply in Gen.Elements<ClamdReply>(
                    new ClamdReply.Clean("stream: OK"), new ClamdReply.Infected("stream: X FOUND", ["X"]),
                    new ClamdReply.LimitsExceeded("stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND", "Heuristics.Limits.Exceeded.MaxFileSize"),
                    new ClamdReply.Failed("stream: x ERROR", "x"), new ClamdReply.Unparseable("?"))
                from completed in ArbMap.Default.GeneratorFor<bool>()
                from canary in Gen.Elements<string?>(null, "canary failed")
                from stale in Gen.Elements<string?>(null, "stale")
                select (reply, completed, canary, stale)).ToArbitrary(),
            input =>
            {
                var (reply, completed, canary, stale) = input;
                var decided = VerdictRules.Decide(new ClamdAnswer(reply, 10, completed, completed ? "h" : null, TimeSpan.Zero), 10);
                var gated = VerdictRules.WithEngineCanary(VerdictRules.WithSignatureFreshness(decided, stale), canary);
                var mayBeClean = reply is ClamdReply.Clean && completed && canary is null && stale is null;
                return (gated.Verdict == ScanVerdict.Clean) == mayBeClean
                    && (decided.Verdict != ScanVerdict.Infected || gated.Verdict == ScanVerdict.Infected);
            }).QuickCheckThrowOnFailure();

    [Fact]
    public void An_accepted_bucket_name_or_key_never_carries_a_segment_a_proxy_could_resolve() =>
        Prop.ForAll(Gen.Elements("a", "b", ".", "..", "/", "-", "_", "A", "9", "%2e", "\u00fc", "x.y")
                .ListOf()
                .Select(parts => string.Concat(parts))
                .ToArbitrary(),
            text =>
            {
                var bucketAccepted = S3ObjectNames.BucketProblem(text) is null;
                var keyAccepted = S3ObjectNames.KeyProblem(text) is null;
                return (!bucketAccepted || (text.Length >= 3 && !text.Contains('/') && !text.Contains("..", StringComparison.Ordinal)
                        && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')))
                    && (!keyAccepted || !text.Split('/').Any(segment => segment is "." or ".."));
            }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_path_with_a_parent_segment_a_control_character_or_a_root_is_always_refused_as_text() =>
        Prop.ForAll(HostilePaths, path =>
        {
            var problem = MountPathResolver.SyntaxProblem(path);
            var hostile = path.Length == 0 || path.Split('/').Contains("..") || path.Any(char.IsControl) || path.StartsWith('/');
            return hostile == (problem is not null);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Resolution_never_yields_a_file_outside_the_root()
    {
        var root = Directory.CreateTempSubdirectory("scanworker-prop-").FullName;
        var outside = Directory.CreateTempSubdirectory("scanworker-prop-outside-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "a", "b"));
            File.WriteAllText(Path.Combine(root, "a", "b", "f"), "in");
            File.WriteAllText(Path.Combine(outside, "f"), "out");
            File.CreateSymbolicLink(Path.Combine(root, "a", "out"), outside);
            File.CreateSymbolicLink(Path.Combine(root, "a", "up"), "../..");
            File.CreateSymbolicLink(Path.Combine(root, "a", "in"), "b");
            var resolver = new MountPathResolver(root);
            var real = resolver.Root + "/";
            var paths = Gen.Elements("a", "b", "f", "out", "up", "in", "..", ".", "")
                .ListOf()
                .Select(segments => string.Join('/', segments))
                .ToArbitrary();

            Prop.ForAll(paths, path =>
            {
                try
                {
                    var file = resolver.Resolve(path);
                    return file.RealPath.StartsWith(real, StringComparison.Ordinal) && File.ReadAllText(file.RealPath) == "in";
                }
                catch (ScanSourceException)
                {
                    return true;
                }
            }).QuickCheckThrowOnFailure();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void Only_a_line_ending_in_OK_is_clean_and_no_line_makes_the_parser_throw() =>
        Prop.ForAll(Strings, line =>
        {
            var reply = ClamdReplyParser.ParseScanReply(line);
            var text = line.TrimEnd('\0', '\n', '\r');
            return reply is not ClamdReply.Clean || (text.EndsWith(": OK", StringComparison.Ordinal) && !text.EndsWith(" FOUND", StringComparison.Ordinal));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_found_reply_is_never_clean_whatever_the_signature() =>
        Prop.ForAll(Strings, signature =>
            ClamdReplyParser.ParseScanReply($"stream: {signature} FOUND\0") is not ClamdReply.Clean).QuickCheckThrowOnFailure();

    [Fact]
    public void Merging_verdict_tags_keeps_every_user_tag_and_stays_within_ten()
    {
        var userTags = Gen.Choose(0, 12)
            .SelectMany(count => Gen.Elements("owner", "team", "scan-status", "scan-old", "x", "y", "z", "a", "b", "c", "d", "e", "f")
                .ListOf(count))
            .Select(keys => keys.Distinct(StringComparer.Ordinal).Select(key => new KeyValuePair<string, string>(key, "v")).ToList())
            .ToArbitrary();
        var ours = VerdictTags.For(ScanOutcome.Error(ScanWorker.Contracts.ScanErrorReason.TooLarge, "big"), DateTimeOffset.UnixEpoch, "scan-");

        Prop.ForAll(userTags, existing =>
        {
            var theirs = existing.Where(tag => !tag.Key.StartsWith("scan-", StringComparison.Ordinal)).ToList();
            try
            {
                var merged = VerdictTags.Merge(existing, ours, "scan-");
                return theirs.All(merged.Contains) && merged.Count <= VerdictTags.MaxTagsPerObject
                    && merged.Any(tag => tag.Key == "scan-status") && theirs.Count < VerdictTags.MaxTagsPerObject;
            }
            catch (InvalidOperationException)
            {
                return theirs.Count >= VerdictTags.MaxTagsPerObject;
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_tag_value_is_always_one_S3_accepts() =>
        Prop.ForAll(Strings, text =>
        {
            var value = VerdictTags.Value(text);
            return value.Length <= 256 && value.All(c => char.IsLetterOrDigit(c) || " +-=._:/@".Contains(c, StringComparison.Ordinal));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_quarantine_key_never_passes_S3s_limit_and_is_the_same_every_time() =>
        // Keys up to several KB of any Unicode, so both the plain and the hashed form are reached.
        Prop.ForAll(Strings.Generator.SelectMany(text => Gen.Choose(1, 80).Select(times => string.Concat(Enumerable.Repeat(text, times)))).ToArbitrary(), key =>
        {
            var location = new ObjectPlace(null, "quarantine/");
            var (_, first) = location.For("uploads", key);
            var (_, again) = location.For("uploads", key);
            return Encoding.UTF8.GetByteCount(first) <= S3ObjectNames.MaxKeyBytes && first == again && location.Contains("uploads", first);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Any_bytes_are_a_notification_or_a_format_error_never_another_exception() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>().Filter(bytes => bytes is not null), bytes =>
        {
            try
            {
                BucketEventParser.Parse(bytes);
            }
            catch (BucketEventFormatException)
            {
            }

            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Notification_like_json_is_a_notification_or_a_format_error_never_another_exception()
    {
        var values = Gen.Elements("null", "1", "\"s\"", "[]", "{}", "true", "\"ObjectCreated:Put\"", "{\"name\":\"b\"}", "{\"key\":\"k\"}", "{\"key\":\"\"}");
        var keys = Gen.Elements("Records", "eventName", "s3", "bucket", "object", "key", "size", "eTag", "Type", "Message", "EventName", "Key", "userIdentity");
        var json = Gen.Sized(size => Json(keys, values, Math.Min(size, 4))).ToArbitrary();

        Prop.ForAll(json, body =>
        {
            try
            {
                BucketEventParser.Parse(Encoding.UTF8.GetBytes(body));
            }
            catch (BucketEventFormatException)
            {
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_response_status_is_406_exactly_when_something_was_found_and_200_only_when_all_is_well()
    {
        var statuses = Gen.Elements(200, 400, 406, 412, 413, 422, 503).ListOf().ToArbitrary();

        Prop.ForAll(statuses, codes =>
        {
            var status = StatusAggregation.Aggregate(codes.Select(code => new RestElement("S", "d", null, code)));
            return (status == 406) == codes.Contains(406) && (status == 200) == codes.All(code => code == 200);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Chunk_headers_round_trip_every_length() =>
        Prop.ForAll(ArbMap.Default.ArbFor<NonNegativeInt>(), length =>
        {
            Span<byte> header = stackalloc byte[ClamdFraming.ChunkHeaderSize];
            ClamdFraming.WriteChunkHeader(header, length.Get);
            return ClamdFraming.ReadChunkHeader(header) == (uint)length.Get;
        }).QuickCheckThrowOnFailure();

    private static Gen<string> Json(Gen<string> keys, Gen<string> values, int depth) => depth <= 0
        ? values
        : Gen.OneOf(
            values,
            Json(keys, values, depth - 1).ListOf(3).Select(items => "[" + string.Join(',', items) + "]"),
            keys.Zip(Json(keys, values, depth - 1)).ListOf(3)
                .Select(pairs => "{" + string.Join(',', pairs.Select(pair => $"\"{pair.Item1}\":{pair.Item2}")) + "}"));
}
