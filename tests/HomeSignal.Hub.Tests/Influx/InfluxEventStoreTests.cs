using System.Net;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Storage.Influx;
using Microsoft.Extensions.Time.Testing;
using static HomeSignal.Hub.Tests.Influx.InfluxFixture;

namespace HomeSignal.Hub.Tests.Influx;

public sealed class InfluxEventStoreTests(InfluxFixture influx) : IClassFixture<InfluxFixture>
{
    [Fact]
    public async Task Stored_events_read_back_with_kit_sensor_state_sequence_and_time()
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

        var outcomes = await store.StoreAsync(events, Bounded());

        Assert.All(outcomes, o => Assert.Equal(StoreOutcome.Stored, o));
        var read = await store.ReadEventsAsync("kit-read", now.AddMinutes(-1), now.AddMinutes(1), Bounded());
        Assert.Equal(events[..3], read);
        Assert.Equal(1, await store.CountEventsAsync("kit-other", Bounded()));
    }

    [Fact]
    public async Task Two_events_of_one_sensor_in_the_same_millisecond_both_survive()
    {
        await using var store = await influx.StartStoreAsync();
        var ts = NowMs().AddSeconds(-5);
        var open = Event("kit-same-ms", 41, ts, SensorKind.Door, SensorStates.Open);
        var closed = Event("kit-same-ms", 42, ts, SensorKind.Door, SensorStates.Closed);

        await store.StoreAsync([open], Bounded());
        await store.StoreAsync([closed], Bounded());

        var read = await store.ReadEventsAsync("kit-same-ms", ts.AddSeconds(-1), ts.AddSeconds(1), Bounded());
        Assert.Equal([open, closed], read);
    }

    [Fact]
    public async Task A_replayed_event_is_stored_once()
    {
        await using var store = await influx.StartStoreAsync();
        var ts = NowMs().AddMinutes(-3);
        var batch = Enumerable.Range(1, 20).Select(i => Event("kit-replay", i, ts.AddSeconds(i))).ToList();

        await store.StoreAsync(batch, Bounded());
        // The kit missed the ack and sends the same events again, some twice within one batch.
        await store.StoreAsync([.. batch, .. batch.Take(5)], Bounded());

        Assert.Equal(20, await store.CountEventsAsync("kit-replay", Bounded()));
        Assert.Equal(20, await store.CountDistinctEventsAsync(Bounded()));
    }

    [Fact]
    public async Task Events_with_implausible_timestamps_are_quarantined_with_their_receive_time_not_dropped()
    {
        var clock = new FakeTimeProvider(NowMs());
        await using var store = await influx.StartStoreAsync(time: clock);
        var now = clock.GetUtcNow();
        var events = new[]
        {
            Event("kit-clock", 1, DateTimeOffset.UnixEpoch.AddSeconds(12)),
            Event("kit-clock", 2, now.AddDays(2)),
            Event("kit-clock", 3, now.AddSeconds(-1)),
        };

        var outcomes = await store.StoreAsync(events, Bounded());

        Assert.Equal([StoreOutcome.Quarantined, StoreOutcome.Quarantined, StoreOutcome.Stored], outcomes);
        Assert.Equal(1, await store.CountEventsAsync("kit-clock", Bounded()));
        var quarantined = await store.ReadQuarantineAsync("kit-clock", now.AddMinutes(-1), now.AddMinutes(1), Bounded());
        Assert.Equal([1L, 2L], quarantined.Select(q => q.Event.Seq));
        Assert.All(quarantined, q => Assert.Equal(now, q.ReceivedAt));
        Assert.Equal(events[0].Ts, quarantined[0].Event.Ts);
        Assert.Contains("before its arrival", quarantined[0].Reason, StringComparison.Ordinal);
        Assert.Contains("ahead of its arrival", quarantined[1].Reason, StringComparison.Ordinal);
        Assert.Equal(2, store.Statistics.Quarantined);
    }

    [Fact]
    public async Task Writing_to_a_missing_database_fails_with_a_clear_error_and_is_counted()
    {
        await using var store = await influx.StartStoreAsync(o => o.CreateDatabase = false);

        var error = await Assert.ThrowsAsync<InfluxException>(() => store.StoreAsync([Event("kit-nodb", 1, NowMs())], Bounded()));

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

        var outcomes = await store.StoreAsync([good1, bad, good2], Bounded());

        Assert.Equal([StoreOutcome.Stored, StoreOutcome.Quarantined, StoreOutcome.Stored], outcomes);
        Assert.Equal(1, store.Statistics.RefusedPoints);
        var quarantined = Assert.Single(await store.ReadQuarantineAsync("kit-mixed", NowMs().AddMinutes(-1), NowMs().AddMinutes(1), Bounded()));
        Assert.Equal(bad.Seq, quarantined.Event.Seq);
        Assert.Contains("field type conflict", quarantined.Reason, StringComparison.Ordinal);
        Assert.Equal([good1, good2], await store.ReadEventsAsync("kit-mixed", NowMs().AddMinutes(-1), NowMs().AddMinutes(1), Bounded()));
    }

    [Fact]
    public async Task Retention_deletes_raw_events_older_than_the_policy_and_keeps_the_aggregates()
    {
        var clock = new FakeTimeProvider(NowMs());
        await using var store = await influx.StartStoreAsync(o =>
        {
            o.RawRetention = TimeSpan.FromHours(1);
            o.MaxEventAge = TimeSpan.FromMinutes(55);
            o.AggregateRetention = TimeSpan.FromDays(30);
        }, clock);
        var start = clock.GetUtcNow();
        var old = Event("kit-retain", 1, start.AddMinutes(-50), SensorKind.Motion);
        var recent = Event("kit-retain", 2, start.AddMinutes(-5), SensorKind.Motion);
        await store.StoreAsync([old, recent], Bounded());
        var today = store.Rules.LocalDate(start);
        await store.RollUpDayAsync(store.Rules.LocalDate(old.Ts), Bounded());
        if (store.Rules.LocalDate(recent.Ts) != store.Rules.LocalDate(old.Ts))
        {
            await store.RollUpDayAsync(today, Bounded());
        }

        clock.Advance(TimeSpan.FromMinutes(20));
        var result = await store.ApplyRetentionAsync(Bounded());

        Assert.Equal(start.AddMinutes(-40), result.RawCutoff);
        Assert.Equal([recent], await store.ReadEventsAsync("kit-retain", start.AddDays(-1), start.AddDays(1), Bounded()));
        // Checked with InfluxDB itself too: the old row is gone, not hidden.
        var raw = await influx.Server.QueryAsync($"SELECT count(\"seq\") FROM \"{InfluxSchema.RawPolicy}\".\"{InfluxSchema.EventMeasurement}\" WHERE time < {InfluxSchema.ToUnixNanoseconds(start.AddMinutes(-40))}", store.Options.Database);
        Assert.DoesNotContain("\"values\"", raw, StringComparison.Ordinal);
        var hours = await store.ReadActivityAsync("kit-retain", ActivityPeriod.Hour, start.AddDays(-2), start.AddDays(1), Bounded());
        Assert.Equal(2, hours.Sum(h => h.Motion));
        Assert.Contains(hours, h => h.Start <= old.Ts && old.Ts < h.Start.AddHours(1) && h.Motion >= 1);
    }
}
