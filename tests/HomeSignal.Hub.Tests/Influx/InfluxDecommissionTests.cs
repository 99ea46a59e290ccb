using System.Net;
using System.Net.Http.Json;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Storage.Influx;
using HomeSignal.Hub.Tests.Provisioning;
using HomeSignal.Hub.Tests.Support;
using Microsoft.Extensions.Configuration;
using static HomeSignal.Hub.Tests.Influx.InfluxFixture;

namespace HomeSignal.Hub.Tests.Influx;

/// <summary>Decommissioning with InfluxDB as the event store: nothing of the resident is left in influxd.</summary>
public sealed class InfluxDecommissionTests(InfluxFixture influx) : IClassFixture<InfluxFixture>
{
    private static readonly (DateTimeOffset From, DateTimeOffset To) Recent = (DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(2));

    private static readonly HttpClient Raw = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Deleting_a_resident_leaves_no_event_aggregate_or_series_of_theirs_in_influxdb()
    {
        var database = NewDatabase();
        await using var hub = await Installer.StartHubAsync(builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:Influx:Url"] = influx.Server.Url.ToString(),
                ["Storage:Influx:Database"] = database,
            });
            builder.AddInfluxEventStore();
        });
        var store = Assert.IsType<InfluxEventStore>(hub.Get<IEventStore>());
        await Eventually.TrueAsync(() => store.IsRunning, "the InfluxDB store started");
        using var installer = new Installer(hub);
        var residentId = await installer.ConsentedResidentAsync();
        var kitId = await installer.EnrolledKitAsync(residentId);
        var other = await installer.ConsentedResidentAsync();
        var otherKit = await hub.CreateKitAsync("kit-influx-other", other);
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        await installer.WalkAsync(kitId, start);
        await installer.SendAsync(otherKit.KitId, "motion-living", SensorKind.Motion, SensorStates.Active, start);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await hub.Get<Hub.Aggregation.AggregationService>().RecomputeAsync(residentId, today.AddDays(-3), today.AddDays(1), CancellationToken.None);
        Assert.Equal(7, (await store.QueryEventsAsync(new EventQuery { KitIds = [kitId], Limit = 100 }, CancellationToken.None)).Count);
        Assert.NotEmpty(await store.QueryAggregatesAsync(residentId, AggregateGranularity.Day, Recent.From, Recent.To, CancellationToken.None));
        Assert.Contains(kitId, await SeriesAsync(database), StringComparison.Ordinal);
        await installer.ConsentAsync(residentId, monitoring: false);

        Assert.Equal(HttpStatusCode.NoContent, (await hub.Http.DeleteAsync($"/api/residents/{residentId}")).StatusCode);

        Assert.Empty(await store.QueryEventsAsync(new EventQuery { KitIds = [kitId], Limit = 100, IncludeQuarantined = true }, CancellationToken.None));
        Assert.Empty(await store.QueryAggregatesAsync(residentId, AggregateGranularity.Hour, Recent.From, Recent.To, CancellationToken.None));
        Assert.Empty(await store.QueryAggregatesAsync(residentId, AggregateGranularity.Day, Recent.From, Recent.To, CancellationToken.None));
        var series = await SeriesAsync(database);
        Assert.DoesNotContain(kitId, series, StringComparison.Ordinal);
        Assert.DoesNotContain(residentId, series, StringComparison.Ordinal);
        Assert.Contains(otherKit.KitId, series, StringComparison.Ordinal); // the neighbour's data stays
        Assert.Equal(0, KitStageTests.RegistryRows(hub, residentId));
        Assert.Equal(0, await hub.Store.CountEventsAsync(CancellationToken.None)); // and the SQLite file never held any
    }

    /// <summary>Every series key in the database, straight from influxd.</summary>
    private async Task<string> SeriesAsync(string database)
    {
        var url = new Uri(influx.Server.Url, $"query?db={database}&q={Uri.EscapeDataString("SHOW SERIES")}");
        return await Raw.GetStringAsync(url);
    }
}
