using System.Net.Http.Json;
using System.Text.Json;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Aggregation;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Storage.Influx;
using HomeSignal.Hub.Tests.Support;
using static HomeSignal.Hub.Tests.Influx.InfluxFixture;

namespace HomeSignal.Hub.Tests.Influx;

/// <summary>A whole running hub with <c>Storage:Provider=Influx</c> against a real influxd.</summary>
public sealed class InfluxHubTests(InfluxFixture influx) : IClassFixture<InfluxFixture>
{
    [Fact]
    public async Task A_kits_events_go_through_the_broker_into_influx_are_acknowledged_and_served_with_aggregates()
    {
        await using var hub = await TestHub.StartAsync(
            new Dictionary<string, string?>
            {
                ["Storage:Influx:Url"] = influx.Server.Url.ToString(),
                ["Storage:Influx:Database"] = NewDatabase(),
            },
            args: ["--Storage:Provider=Influx"]);
        var store = Assert.IsType<InfluxEventStore>(hub.Get<IEventStore>());
        await Eventually.TrueAsync(() => store.IsRunning, "the Influx store starts with the hub");

        var resident = await hub.CreateResidentAsync();
        var credentials = await hub.CreateKitAsync("kit-influx", resident);
        await using var kit = new SimulatedKit("kit-influx");
        Assert.Equal(MQTTnet.MqttClientConnectResultCode.Success, await kit.ConnectAsync(hub.MqttPort, credentials.Username, credentials.Password));

        // Two events in one millisecond (Influx would overwrite equal series and timestamp), then a later one.
        var at = NowMs().AddSeconds(-30);
        var sameMs = new[]
        {
            kit.Event(1, SensorStates.Open, at),
            kit.Event(2, SensorStates.Active, at, "motion-living", SensorKind.Motion),
            kit.Event(3, SensorStates.Closed, at.AddSeconds(5)),
        };
        foreach (var e in sameMs)
        {
            Assert.True((await kit.PublishAsync(e)).IsSuccess);
        }

        await Eventually.TrueAsync(() => kit.HasStoredAck([1, 2, 3]), "the hub acknowledges after the Influx write");

        // The kit resends one (its ack was lost, say): acknowledged again after the write, and still one point (in
        // Influx a replay overwrites its own point, see InfluxEventStore.StoreAsync).
        var acksBefore = kit.Acks.Count;
        Assert.True((await kit.PublishAsync(sameMs[0])).IsSuccess);
        await Eventually.TrueAsync(() => kit.Acks.Count > acksBefore, "the resent event is acknowledged too");
        Assert.Equal(4, hub.Get<IngestStats>().Received);

        var stored = await store.QueryEventsAsync(new EventQuery { KitIds = ["kit-influx"], Order = EventOrder.OldestFirst }, Bounded());
        Assert.Equal([1L, 2, 3], stored.Select(e => e.Seq).Order());
        Assert.Equal(2, stored.Count(e => e.Ts == at));

        var events = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{resident}/events");
        Assert.Equal(["open", "active", "closed"], events.EnumerateArray().OrderBy(e => e.GetProperty("seq").GetInt64()).Select(e => e.GetProperty("state").GetString()));

        var aggregation = hub.Get<AggregationService>();
        var day = aggregation.Aggregator.LocalDay(at);
        await aggregation.RecomputeAsync(resident, day, day, Bounded());
        var from = Uri.EscapeDataString(at.AddHours(-2).ToString("O"));
        var to = Uri.EscapeDataString(at.AddHours(2).ToString("O"));
        var hours = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{resident}/aggregates?granularity=hour&from={from}&to={to}");
        Assert.Equal(1, hours.EnumerateArray().Sum(h => h.GetProperty("doorOpenings").GetInt32()));
        Assert.Equal(1, hours.EnumerateArray().Sum(h => h.GetProperty("motion").GetInt32()));
    }
}
