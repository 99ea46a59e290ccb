using System.Net;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Storage.Influx;
using static HomeSignal.Hub.Tests.Influx.InfluxFixture;

namespace HomeSignal.Hub.Tests.Influx;

public sealed class InfluxEventStoreTests(InfluxFixture influx) : IClassFixture<InfluxFixture>
{
    [Fact]
    public async Task Stored_events_read_back_with_kit_sensor_state_sequence_and_times()
    {
        await using var store = await influx.StartStoreAsync();
        var now = NowMs();
        var events = new[]
        {
            Event("kit-read", 1, now.AddSeconds(-30), SensorKind.Door, SensorStates.Open),
            Event("kit-read", 2, now.AddSeconds(-20), SensorKind.Motion, SensorStates.Active),
            Event("kit-read", 3, now.AddSeconds(-10), SensorKind.MailboxFlap, SensorStates.Closed) with { ClockSynced = false },
            Event("kit-other", 1, now.AddSeconds(-10)),
        };

        var outcomes = await store.StoreAsync(events.Select(e => Item(e, now)).ToList(), Bounded());

        Assert.All(outcomes, o => Assert.Equal(StoreOutcome.Stored, o));
        var read = await store.QueryEventsAsync(new EventQuery { KitIds = ["kit-read"], From = now.AddMinutes(-1), To = now.AddMinutes(1), Order = EventOrder.OldestFirst }, Bounded());
        Assert.Equal(events[..3].Select(e => Stored(e, now)), read);
        Assert.Equal(1, await store.CountEventsAsync("kit-other", Bounded()));
    }

    [Fact]
    public async Task Events_written_with_boot_receive_time_and_clock_as_fields_of_their_own_read_back_the_same()
    {
        await using var store = await influx.StartStoreAsync();
        var now = NowMs();
        var old = Event("kit-layout", 1, now.AddSeconds(-20)) with { ClockSynced = false };
        var status = await influx.Server.WriteRawAsync(store.Options.Database,
            $"{InfluxSchema.EventMeasurement},kit=kit-layout,sensor=door-front,kind=door state=\"open\",seq=1i,boot=\"{old.BootId}\",clock_synced=false,received_ms={now.AddSeconds(-5).ToUnixTimeMilliseconds()}i {InfluxSchema.PointTime(old.Ts, 1)}",
            InfluxSchema.RawPolicy);
        Assert.Equal(HttpStatusCode.NoContent, status);
        var current = Event("kit-layout", 2, now.AddSeconds(-10));
        await store.StoreAsync([Item(current, now)], Bounded());

        var read = await store.QueryEventsAsync(new EventQuery { KitIds = ["kit-layout"], Order = EventOrder.OldestFirst }, Bounded());

        Assert.Equal([Stored(old, now.AddSeconds(-5)), Stored(current, now)], read);
    }

    [Fact]
    public async Task A_stored_event_with_a_damaged_provenance_fails_the_read_with_a_clear_error()
    {
        await using var store = await influx.StartStoreAsync();
        var status = await influx.Server.WriteRawAsync(store.Options.Database,
            $"{InfluxSchema.EventMeasurement},kit=kit-damaged,sensor=door-front,kind=door state=\"open\",seq=1i,{InfluxSchema.ProvenanceField}=\"nonsense\" {InfluxSchema.PointTime(NowMs(), 1)}",
            InfluxSchema.RawPolicy);
        Assert.Equal(HttpStatusCode.NoContent, status);

        var error = await Assert.ThrowsAsync<InfluxException>(() => store.QueryEventsAsync(new EventQuery { KitIds = ["kit-damaged"] }, Bounded()));

        Assert.Contains("provenance 'nonsense'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_are_read_newest_first_within_the_limit_across_several_kits()
    {
        await using var store = await influx.StartStoreAsync();
        var now = NowMs();
        var events = Enumerable.Range(1, 10).Select(i => Event(i % 2 == 0 ? "kit-even" : "kit-odd", i, now.AddSeconds(i - 20))).ToList();
        await store.StoreAsync(events.Select(e => Item(e, now)).ToList(), Bounded());
        await store.StoreAsync([Item(Event("kit-third", 1, now.AddSeconds(-1)))], Bounded());

        var read = await store.QueryEventsAsync(new EventQuery { KitIds = ["kit-even", "kit-odd"], Limit = 3 }, Bounded());

        Assert.Equal([10L, 9L, 8L], read.Select(e => e.Seq));
        Assert.Empty(await store.QueryEventsAsync(new EventQuery { KitIds = [] }, Bounded()));
        // A fleet-wide query (hundreds of kits) is too long for a URL and goes as a POST.
        var many = Enumerable.Range(0, 300).Select(i => $"kit-fleet-{i:D4}").Append("kit-third").ToList();
        Assert.Equal(["kit-third"], (await store.QueryEventsAsync(new EventQuery { KitIds = many }, Bounded())).Select(e => e.KitId));
    }

    [Fact]
    public async Task Two_events_of_one_sensor_in_the_same_millisecond_both_survive()
    {
        await using var store = await influx.StartStoreAsync();
        var ts = NowMs().AddSeconds(-5);
        var open = Event("kit-same-ms", 41, ts, SensorKind.Door, SensorStates.Open);
        var closed = Event("kit-same-ms", 42, ts, SensorKind.Door, SensorStates.Closed);

        await store.StoreAsync([Item(open, ts)], Bounded());
        await store.StoreAsync([Item(closed, ts)], Bounded());

        var read = await store.QueryEventsAsync(new EventQuery { KitIds = ["kit-same-ms"], Order = EventOrder.OldestFirst }, Bounded());
        Assert.Equal([Stored(open, ts), Stored(closed, ts)], read);
    }

    [Fact]
    public async Task A_replayed_event_is_stored_once()
    {
        await using var store = await influx.StartStoreAsync();
        var ts = NowMs().AddMinutes(-3);
        var batch = Enumerable.Range(1, 20).Select(i => Event("kit-replay", i, ts.AddSeconds(i))).ToList();

        await store.StoreAsync(Items([.. batch]), Bounded());
        // The kit missed the ack and sends the same events again, some twice within one batch.
        var outcomes = await store.StoreAsync(Items([.. batch, .. batch.Take(5)]), Bounded());

        Assert.Equal(25, outcomes.Count);
        Assert.Equal(20, await store.CountEventsAsync("kit-replay", Bounded()));
        Assert.Equal(20, await store.CountDistinctEventsAsync(Bounded()));
    }

    [Fact]
    public async Task A_quarantined_event_is_kept_apart_at_its_receive_time_and_a_replay_is_a_duplicate()
    {
        await using var store = await influx.StartStoreAsync();
        var received = NowMs().AddSeconds(-2);
        var from1970 = Event("kit-clock", 7, DateTimeOffset.UnixEpoch.AddSeconds(12));
        var fine = Event("kit-clock", 8, received);

        var outcomes = await store.StoreAsync([Item(from1970, received, "kit clock far behind"), Item(fine, received)], Bounded());
        var replay = await store.StoreAsync([Item(from1970, received.AddSeconds(1), "kit clock far behind")], Bounded());

        Assert.Equal([StoreOutcome.Quarantined, StoreOutcome.Stored], outcomes);
        Assert.Equal([StoreOutcome.Duplicate], replay);
        Assert.Equal([fine.Seq], (await store.QueryEventsAsync(new EventQuery { KitIds = ["kit-clock"] }, Bounded())).Select(e => e.Seq));
        var all = await store.QueryEventsAsync(new EventQuery { KitIds = ["kit-clock"], IncludeQuarantined = true, Order = EventOrder.OldestFirst }, Bounded());
        Assert.Equal(2, all.Count);
        var kept = Assert.Single(all, e => e.QuarantineReason is not null);
        Assert.Equal(Stored(from1970, received) with { QuarantineReason = "kit clock far behind" }, kept);
        Assert.Equal(1, store.Statistics.Quarantined);
    }

    [Fact]
    public async Task An_event_influxdb_would_drop_as_outside_its_retention_is_quarantined_not_lost()
    {
        await using var store = await influx.StartStoreAsync();
        // The hub let it through, but InfluxDB refuses points older than the raw retention policy (90 days).
        var ancient = Event("kit-ancient", 1, NowMs().AddDays(-200));
        var fresh = Event("kit-ancient", 2, NowMs().AddSeconds(-1));

        var outcomes = await store.StoreAsync(Items(ancient, fresh), Bounded());

        Assert.Equal([StoreOutcome.Quarantined, StoreOutcome.Stored], outcomes);
        var kept = Assert.Single(await store.QueryEventsAsync(new EventQuery { KitIds = ["kit-ancient"], IncludeQuarantined = true }, Bounded()), e => e.QuarantineReason is not null);
        Assert.Contains("beyond retention policy", kept.QuarantineReason, StringComparison.Ordinal);
        Assert.Equal(ancient.Ts, kept.Ts);
        Assert.Equal(1, store.Statistics.RefusedPoints);
    }

    [Fact]
    public async Task Writing_to_a_missing_database_fails_with_a_clear_error_and_is_counted()
    {
        await using var store = await influx.StartStoreAsync(o => o.CreateDatabase = false);

        var error = await Assert.ThrowsAsync<InfluxException>(() => store.StoreAsync(Items(Event("kit-nodb", 1, NowMs())), Bounded()));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("database not found", error.Message, StringComparison.Ordinal);
        Assert.Contains(store.Options.Database, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, store.Statistics.FailedWrites);
        Assert.Equal(0, store.Statistics.PointsWritten);
    }

    [Fact]
    public async Task A_point_influxdb_refuses_is_quarantined_and_does_not_hold_back_the_rest_of_its_batch()
    {
        await using var store = await influx.StartStoreAsync();
        // Poison the shard of three days ago: 'seq' becomes a string field there, so InfluxDB answers 400 (field type
        // conflict) for any event of that day, while other days' shards take them.
        var poisonedDay = NowMs().AddDays(-3);
        var status = await influx.Server.WriteRawAsync(store.Options.Database,
            $"{InfluxSchema.EventMeasurement},kit=kit-poison,sensor=door-front,kind=door seq=\"x\" {InfluxSchema.ToUnixNanoseconds(poisonedDay)}", InfluxSchema.RawPolicy);
        Assert.Equal(HttpStatusCode.NoContent, status);
        var good1 = Event("kit-mixed", 1, NowMs().AddSeconds(-3));
        var bad = Event("kit-mixed", 2, poisonedDay.AddSeconds(1));
        var good2 = Event("kit-mixed", 3, NowMs().AddSeconds(-1));

        var outcomes = await store.StoreAsync(Items(good1, bad, good2), Bounded());

        Assert.Equal([StoreOutcome.Stored, StoreOutcome.Quarantined, StoreOutcome.Stored], outcomes);
        Assert.Equal(1, store.Statistics.RefusedPoints);
        var read = await store.QueryEventsAsync(new EventQuery { KitIds = ["kit-mixed"], IncludeQuarantined = true, Order = EventOrder.OldestFirst }, Bounded());
        Assert.Equal([1L, 3L, 2L], read.Select(e => e.Seq));
        Assert.Contains("field type conflict", read[2].QuarantineReason, StringComparison.Ordinal);
    }

    private static StoredEvent Stored(SensorEvent e, DateTimeOffset receivedAt) =>
        new(e.KitId, e.BootId, e.Seq, e.SensorId, e.Kind, e.State, e.Ts, receivedAt, e.ClockSynced);
}
