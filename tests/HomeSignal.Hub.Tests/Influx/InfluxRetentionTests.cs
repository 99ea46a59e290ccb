using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Storage.Influx;
using static HomeSignal.Hub.Tests.Influx.InfluxFixture;

namespace HomeSignal.Hub.Tests.Influx;

public sealed class InfluxRetentionTests(InfluxFixture influx) : IClassFixture<InfluxFixture>
{
    [Fact]
    public async Task Retention_deletes_raw_events_and_aggregates_before_their_cutoffs_and_keeps_the_rest()
    {
        await using var store = await influx.StartStoreAsync();
        var now = NowMs();
        var old = Event("kit-retain", 1, now.AddMinutes(-50), SensorKind.Motion);
        var recent = Event("kit-retain", 2, now.AddMinutes(-5), SensorKind.Motion);
        await store.StoreAsync([Item(old, old.Ts), Item(recent, recent.Ts), Item(Event("kit-retain", 3, DateTimeOffset.UnixEpoch), now.AddMinutes(-45), "clock")], Bounded());
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        await store.SaveAggregatesAsync("res-retain", AggregateGranularity.Hour, [Aggregate(hour.AddHours(-5), 3), Aggregate(hour.AddHours(-1), 4)], Bounded());

        var result = await store.ApplyRetentionAsync(new RetentionCutoffs(now.AddMinutes(-40), hour.AddHours(-2)), Bounded());

        Assert.Equal(new RetentionResult(2, 1), result);
        var left = await store.QueryEventsAsync(new EventQuery { KitIds = ["kit-retain"], IncludeQuarantined = true }, Bounded());
        Assert.Equal([recent.Seq], left.Select(e => e.Seq));
        // Checked with InfluxDB itself too: the old rows are gone from the database, not filtered out by the store.
        var raw = await influx.Server.QueryAsync("SELECT * FROM \"raw\".\"sensor_event\"; SELECT * FROM \"raw\".\"quarantined_event\"", store.Options.Database);
        Assert.DoesNotContain($"{InfluxSchemaTime(old.Ts)}", raw, StringComparison.Ordinal);
        Assert.Contains($"{InfluxSchemaTime(recent.Ts)}", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\"clock\"", raw, StringComparison.Ordinal);
        var hours = await store.QueryAggregatesAsync("res-retain", AggregateGranularity.Hour, now.AddDays(-1), now.AddDays(1), Bounded());
        Assert.Equal([4], hours.Select(h => h.Motion));
    }

    [Fact]
    public async Task Retention_before_the_store_has_started_deletes_nothing_and_does_not_fail()
    {
        // The hub's retention worker ticks at start, possibly before the store created its database.
        var options = new InfluxOptions { Url = influx.Server.Url, Database = NewDatabase() };
        await using var store = new InfluxEventStore(new HttpClient(), Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<InfluxEventStore>.Instance);

        var result = await store.ApplyRetentionAsync(new RetentionCutoffs(NowMs(), NowMs()), Bounded());

        Assert.Equal(new RetentionResult(0, 0), result);
    }

    [Fact]
    public async Task Saved_aggregates_read_back_and_saving_again_replaces_them_entirely()
    {
        await using var store = await influx.StartStoreAsync();
        var day = new DateTimeOffset(NowMs().UtcDateTime.Date, TimeSpan.Zero).AddDays(-1);
        var full = new ActivityAggregate
        {
            Start = day,
            Motion = 42,
            DoorOpenings = 3,
            Outings = 1,
            MinutesOut = 37.5,
            MailboxDeliveries = 1,
            MailboxCollections = 1,
            NightMotion = 2,
            FirstActivity = day.AddHours(7.25),
            LastActivity = day.AddHours(22.5),
        };
        await store.SaveAggregatesAsync("res-agg", AggregateGranularity.Day, [full], Bounded());
        await store.SaveAggregatesAsync("res-agg", AggregateGranularity.Hour, [Aggregate(day.AddHours(7), 5), Aggregate(day.AddHours(8), 0)], Bounded());
        await store.SaveAggregatesAsync("res-other", AggregateGranularity.Day, [full with { Motion = 1 }], Bounded());

        Assert.Equal([full], await store.QueryAggregatesAsync("res-agg", AggregateGranularity.Day, day, day.AddDays(1), Bounded()));
        Assert.Equal([5, 0], (await store.QueryAggregatesAsync("res-agg", AggregateGranularity.Hour, day, day.AddDays(1), Bounded())).Select(h => h.Motion));

        // Recomputed with fewer facts: nothing of the old row may linger (InfluxDB merges fields on overwrite).
        var recomputed = new ActivityAggregate { Start = day, Motion = 40 };
        await store.SaveAggregatesAsync("res-agg", AggregateGranularity.Day, [recomputed], Bounded());
        Assert.Equal([recomputed], await store.QueryAggregatesAsync("res-agg", AggregateGranularity.Day, day, day.AddDays(1), Bounded()));
    }

    [Fact]
    public async Task Deleting_a_resident_removes_their_kits_events_and_their_aggregates_only()
    {
        await using var store = await influx.StartStoreAsync();
        var now = NowMs();
        await store.StoreAsync(Items(Event("kit-gone", 1, now.AddSeconds(-3)), Event("kit-gone-too", 1, now.AddSeconds(-2)), Event("kit-stays", 1, now.AddSeconds(-1))), Bounded());
        await store.StoreAsync([Item(Event("kit-gone", 2, DateTimeOffset.UnixEpoch), now, "clock")], Bounded());
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        await store.SaveAggregatesAsync("res-gone", AggregateGranularity.Hour, [Aggregate(hour, 1)], Bounded());
        await store.SaveAggregatesAsync("res-stays", AggregateGranularity.Hour, [Aggregate(hour, 2)], Bounded());

        await store.DeleteResidentDataAsync("res-gone", ["kit-gone", "kit-gone-too"], Bounded());

        var left = await store.QueryEventsAsync(new EventQuery { IncludeQuarantined = true }, Bounded());
        Assert.Equal(["kit-stays"], left.Select(e => e.KitId));
        Assert.Empty(await store.QueryAggregatesAsync("res-gone", AggregateGranularity.Hour, hour, hour.AddHours(1), Bounded()));
        Assert.Single(await store.QueryAggregatesAsync("res-stays", AggregateGranularity.Hour, hour, hour.AddHours(1), Bounded()));
    }

    private static ActivityAggregate Aggregate(DateTimeOffset start, int motion) => new() { Start = start, Motion = motion };

    private static string InfluxSchemaTime(DateTimeOffset ts) => HomeSignal.Hub.Storage.Influx.InfluxSchema.ToUnixNanoseconds(ts).ToString(System.Globalization.CultureInfo.InvariantCulture)[..13];
}
