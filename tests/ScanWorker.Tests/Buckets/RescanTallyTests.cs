using FsCheck;
using FsCheck.Fluent;
using ScanWorker.Buckets;

namespace ScanWorker.Tests.Buckets;

/// <summary>A rescan's totals, folded from its pages and results in whatever order the queue delivers them.</summary>
public sealed class RescanTallyTests
{
    private static readonly Guid Id = Guid.NewGuid();

    [Fact]
    public void Results_before_their_page_count_and_the_rescan_completes_with_the_last_message()
    {
        var tally = new RescanTally(Id, "b", "p/");
        tally.Add(Result("clean"));
        tally.Add(Result("infected"));
        tally.Add(Page(1, last: false, listed: 3, queued: 2, skipped: 1));
        Assert.False(tally.IsComplete);
        tally.Add(Page(2, last: true, listed: 1, queued: 1, skipped: 0));
        Assert.False(tally.IsComplete);

        tally.Add(Result("error"));

        Assert.True(tally.IsComplete);
        var completed = tally.Completed(DateTimeOffset.UnixEpoch);
        Assert.Equal((4L, 3L, 1L, 3L, 1L, 1L, 1L, 1), (completed.Listed, completed.Queued, completed.Skipped, completed.Scanned, completed.Clean,
            completed.Infected, completed.Errors, completed.CountedFromPage));
    }

    [Fact]
    public void A_redelivered_page_is_counted_once()
    {
        var tally = new RescanTally(Id, "b", null);
        tally.Add(Page(1, last: true, listed: 2, queued: 2, skipped: 0));
        tally.Add(Page(1, last: true, listed: 2, queued: 2, skipped: 0));
        tally.Add(Result("clean"));

        Assert.Equal(2, tally.Queued);
        Assert.False(tally.IsComplete);
    }

    [Fact]
    public void A_tally_that_began_mid_rescan_says_from_which_page_it_counted()
    {
        var tally = new RescanTally(Id, "b", null);
        tally.Add(Page(3, last: false, listed: 1, queued: 1, skipped: 0));
        tally.Add(Page(4, last: true, listed: 1, queued: 1, skipped: 0));
        tally.Add(Result("clean"));
        tally.Add(Result("clean"));

        Assert.True(tally.IsComplete);
        Assert.Equal(3, tally.Completed(DateTimeOffset.UnixEpoch).CountedFromPage);
    }

    /// <summary>
    /// The order the queue can deliver: pages in order (the next page is requested only after a page's progress was sent),
    /// and each object's result anywhere after the progress of the page before its own (its page queued it while listing).
    /// </summary>
    [Fact]
    public void In_any_order_the_queue_can_deliver_the_rescan_completes_exactly_with_its_last_message_and_the_totals_agree() =>
        Prop.ForAll((
                from pages in Gen.Choose(1, 6).SelectMany(count => Gen.Choose(0, 4).ArrayOf(count))
                from seed in ArbMap.Default.GeneratorFor<int>()
                select (pages, seed)).ToArbitrary(),
            input =>
            {
                var (queuedPerPage, seed) = input;
                var random = new Random(seed);
                var messages = queuedPerPage.Select((queued, index) => Page(index + 1, index == queuedPerPage.Length - 1, queued, queued, 0)).ToList();
                for (var page = 1; page <= queuedPerPage.Length; page++)
                {
                    for (var result = 0; result < queuedPerPage[page - 1]; result++)
                    {
                        var earliest = page == 1 ? 0 : messages.FindIndex(message => message.Page == page - 1) + 1;
                        messages.Insert(random.Next(earliest, messages.Count + 1), Result("clean"));
                    }
                }
                var tally = new RescanTally(Id, "b", null);
                var completeEarly = false;
                for (var i = 0; i < messages.Count; i++)
                {
                    tally.Add(messages[i]);
                    completeEarly |= i < messages.Count - 1 && tally.IsComplete;
                }

                return !completeEarly && tally.IsComplete && tally.Queued == queuedPerPage.Sum() && tally.Clean == queuedPerPage.Sum();
            }).QuickCheckThrowOnFailure();

    private static RescanProgress Page(int page, bool last, int listed, int queued, int skipped) => new()
    {
        RescanId = Id, Bucket = "b", Page = page, LastPage = last, Listed = listed, Queued = queued, Skipped = skipped,
    };

    private static RescanProgress Result(string verdict) => new() { RescanId = Id, Bucket = "b", Verdict = verdict };
}
