using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Tests.Support;

namespace HomeSignal.Hub.Tests.Ingestion;

public sealed class PendingHubAcksTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void A_kit_not_told_recently_is_told_at_once_and_what_follows_waits_for_the_interval()
    {
        var acks = new PendingHubAcks(Interval, flushAfterEvents: 50);

        acks.Add([Item("kit-a", 1)]);
        Assert.Equal([new SeqRange(Boot, 1, 1)], Assert.Single(acks.Take(T0, everything: false)).Stored);

        acks.Add([Item("kit-a", 2)]);
        acks.Add([Item("kit-a", 3)]);
        Assert.Empty(acks.Take(T0.AddMilliseconds(99), everything: false));
        Assert.Equal(T0 + Interval, acks.NextDue);

        var later = Assert.Single(acks.Take(T0 + Interval, everything: false));
        Assert.Equal([new SeqRange(Boot, 2, 3)], later.Stored);
        Assert.Equal(T0 + Interval, later.Ts);
        Assert.Null(acks.NextDue);
    }

    [Fact]
    public void A_kit_with_enough_events_waiting_is_told_without_waiting_for_the_interval()
    {
        var acks = new PendingHubAcks(Interval, flushAfterEvents: 3);
        acks.Add([Item("kit-a", 1)]);
        acks.Take(T0, everything: false);

        acks.Add([Item("kit-a", 2), Item("kit-a", 3)]);
        Assert.Empty(acks.Take(T0, everything: false));
        acks.Add([Item("kit-a", 4)]);

        Assert.Equal([new SeqRange(Boot, 2, 4)], Assert.Single(acks.Take(T0, everything: false)).Stored);
    }

    [Fact]
    public void Everything_tells_every_waiting_kit_in_the_order_they_came_and_only_what_they_sent()
    {
        var acks = new PendingHubAcks(Interval, flushAfterEvents: 50);
        acks.Add([Item("kit-a", 1), Item("kit-b", 1)]);
        acks.Take(T0, everything: false);
        acks.Add([Item("kit-b", 2), Item("kit-a", 2), Item("kit-a", 3)]);

        var told = acks.Take(T0, everything: true);

        Assert.Equal(["kit-b", "kit-a"], told.Select(a => a.KitId));
        Assert.Equal([new SeqRange(Boot, 2, 2)], told[0].Stored);
        Assert.Equal([new SeqRange(Boot, 2, 3)], told[1].Stored);
        Assert.Equal(0, acks.WaitingKits);
        Assert.Empty(acks.Take(T0.AddSeconds(1), everything: true));
    }

    [Fact]
    public void A_rejection_waits_with_the_kits_other_acks_and_is_told_once()
    {
        var acks = new PendingHubAcks(Interval, flushAfterEvents: 50);
        acks.Add([Item("kit-a", 1)]);
        acks.Take(T0, everything: false);
        acks.Add([new IngestItem("kit-a", null, new RejectedEvent(Boot, 2, "invalid-state"), IngestItem.NothingToSettle)]);

        Assert.Empty(acks.Take(T0, everything: false));
        var ack = Assert.Single(acks.Take(T0 + Interval, everything: false));

        Assert.Empty(ack.Stored);
        Assert.Equal(2, Assert.Single(ack.Rejected).Seq);
        Assert.Empty(acks.Take(T0 + Interval + Interval, everything: true));
    }

    [Fact]
    public void A_kit_heard_from_again_after_the_interval_is_told_at_once_even_among_thousands()
    {
        var acks = new PendingHubAcks(Interval, flushAfterEvents: 50);
        acks.Add(Enumerable.Range(0, 3000).Select(i => Item($"kit-{i}", 1)));
        Assert.Equal(3000, acks.Take(T0, everything: false).Count);

        // Much later the same kits are "new": each is told at once, as a kit that is rarely heard from should be.
        acks.Add(Enumerable.Range(0, 3000).Select(i => Item($"kit-{i}", 2)));
        Assert.Equal(3000, acks.Take(T0.AddMinutes(1), everything: false).Count);
    }

    [Fact]
    public void Acks_group_sequences_into_ranges_per_boot_and_carry_rejections()
    {
        var items = new[] { 1, 2, 3, 5, 7, 8 }.Select(seq => Item("kit-r", seq)).ToList();
        items.Add(new IngestItem("kit-r", null, new RejectedEvent(Boot, 6, "invalid-state"), IngestItem.NothingToSettle));
        var acks = new PendingHubAcks(TimeSpan.Zero, int.MaxValue);

        acks.Add(items);

        var ack = Assert.Single(acks.Take(T0, everything: true));
        Assert.Equal([new SeqRange(Boot, 1, 3), new SeqRange(Boot, 5, 5), new SeqRange(Boot, 7, 8)], ack.Stored);
        Assert.Equal(6, Assert.Single(ack.Rejected).Seq);
    }

    private static string Boot => IngestItems.Boot;

    private static IngestItem Item(string kitId, long seq) => IngestItems.Door(kitId, seq, T0);
}
