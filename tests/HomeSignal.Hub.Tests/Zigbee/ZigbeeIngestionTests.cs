using System.Net.Http.Json;
using System.Text.Json;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Topics;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Signals;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Tests.Support;
using HomeSignal.Hub.Zigbee;
using MQTTnet;

namespace HomeSignal.Hub.Tests.Zigbee;

public sealed class ZigbeeIngestionTests
{
    private const string Door = "zigbee2mqtt/Voordeur";
    private const string Motion = "zigbee2mqtt/Woonkamer/beweging";

    [Fact]
    public async Task Contact_and_occupancy_changes_reach_the_store_and_the_residents_events_once_each()
    {
        await using var hub = await TestHub.StartAsync(Zigbee2Mqtt.Settings());
        var resident = await SetUpAsync(hub);
        await using var z2m = await ConnectAsync(hub);

        // The first report is a baseline; zigbee2mqtt repeats the full state on every report.
        await PublishAsync(z2m, Door, """{"battery":90,"contact":true,"linkquality":120}""", 3);
        await PublishAsync(z2m, Door, """{"battery":90,"contact":false,"linkquality":118}""", 3);
        await PublishAsync(z2m, Door, """{"battery":90,"contact":true,"linkquality":121}""", 2);
        await PublishAsync(z2m, Motion, """{"occupancy":false,"battery":70}""", 2);
        await PublishAsync(z2m, Motion, """{"occupancy":true,"battery":70}""", 3);

        var events = await WaitForEventsAsync(hub, 3);
        Assert.Equal(["door-front:open", "door-front:closed", "motion-living:active"], events.Select(e => $"{e.SensorId}:{e.State}"));
        Assert.Equal([1L, 2, 3], events.Select(e => e.Seq));
        Assert.Single(events.Select(e => e.BootId).Distinct());
        Assert.All(events, e => Assert.Equal(Zigbee2Mqtt.Resident, e.KitId));
        Assert.Equal([SensorKind.Door, SensorKind.Door, SensorKind.Motion], events.Select(e => e.Kind));

        var api = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{resident}/events");
        Assert.Equal(["open", "closed", "active"], api.EnumerateArray().Select(e => e.GetProperty("state").GetString()));
        Assert.Equal(3, hub.Get<IngestStats>().Stored);

        var devices = await hub.Http.GetFromJsonAsync<JsonElement>("/api/zigbee/devices");
        var door = devices.EnumerateArray().Single(d => d.GetProperty("device").GetString() == "Voordeur");
        Assert.Equal("closed", door.GetProperty("state").GetString());
        Assert.Equal(121, door.GetProperty("linkQuality").GetInt32());
        Assert.Equal(90, door.GetProperty("battery").GetDouble());
    }

    [Fact]
    public async Task Offline_availability_in_both_forms_and_a_low_battery_become_maintenance_signals_not_inactivity()
    {
        await using var hub = await TestHub.StartAsync(Zigbee2Mqtt.Settings());
        var resident = await SetUpAsync(hub);
        await using var z2m = await ConnectAsync(hub);
        var signals = hub.Get<SignalStore>();

        await PublishAsync(z2m, Door + "/availability", """{"state":"offline"}""", 2);
        await Eventually.TrueAsync(async () => (await OpenSignalsAsync(signals, resident)).Any(s => s.Title == "Sensor geeft geen signaal"), "a JSON offline availability raises a maintenance signal");
        await PublishAsync(z2m, Door + "/availability", "online");
        await Eventually.TrueAsync(async () => (await OpenSignalsAsync(signals, resident)).Count == 0, "the legacy plain 'online' resolves it");

        await PublishAsync(z2m, Motion + "/availability", "offline");
        await Eventually.TrueAsync(async () => (await OpenSignalsAsync(signals, resident)).Any(s => s.Sensors.Contains("motion-living")), "a legacy plain 'offline' raises a maintenance signal");

        await PublishAsync(z2m, Door, """{"battery":12,"contact":true}""", 3);
        await Eventually.TrueAsync(async () => (await OpenSignalsAsync(signals, resident)).Any(s => s.Title == "Batterij van sensor bijna leeg"), "a low battery raises one maintenance signal");

        var open = await OpenSignalsAsync(signals, resident);
        Assert.Equal(2, open.Count);
        Assert.All(open, s => Assert.Equal(SignalVocabulary.DataHealth, s.Layer));
        Assert.All(open, s => Assert.Contains("Dit zegt niets over de bewoner", s.Reason, StringComparison.Ordinal));

        await hub.Get<ZigbeeBridge>().BeatAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        var kit = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{Zigbee2Mqtt.Resident}");
        Assert.Equal("online", kit.GetProperty("status").GetString());
        var flags = kit.GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.Contains("zigbee-battery-low:door-front", flags);
        Assert.Contains("zigbee-device-offline:motion-living", flags);

        await PublishAsync(z2m, Door, """{"battery":100,"contact":true}""");
        await Eventually.TrueAsync(async () => (await OpenSignalsAsync(signals, resident)).All(s => s.Title != "Batterij van sensor bijna leeg"), "a new battery resolves the signal");
        Assert.Equal(0, await hub.Store.CountEventsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_virtual_kit_is_vouched_for_only_while_zigbee2mqtt_says_it_is_online()
    {
        await using var hub = await TestHub.StartAsync(Zigbee2Mqtt.Settings());
        await SetUpAsync(hub);
        await using var z2m = await ConnectAsync(hub);
        var bridge = hub.Get<ZigbeeBridge>();
        var tracker = hub.Get<HomeSignal.Hub.Health.KitHealthTracker>();
        var later = DateTimeOffset.UtcNow.AddMinutes(5);

        await PublishAsync(z2m, "zigbee2mqtt/bridge/state", """{"state":"offline"}""");
        await Eventually.TrueAsync(() => bridge.BridgeOnline == false, "the hub hears zigbee2mqtt go offline");
        await bridge.BeatAsync(later, CancellationToken.None);
        Assert.NotEqual(later, tracker.View(Zigbee2Mqtt.Resident, later).LastHeartbeat);

        await PublishAsync(z2m, "zigbee2mqtt/bridge/state", "online");
        await Eventually.TrueAsync(() => bridge.BridgeOnline == true, "the hub hears zigbee2mqtt come back (legacy plain payload)");
        await bridge.BeatAsync(later, CancellationToken.None);
        var view = tracker.View(Zigbee2Mqtt.Resident, later);
        Assert.Equal(later, view.LastHeartbeat);
        Assert.Equal(["door-front", "motion-living"], view.Heartbeat!.Sensors.Select(s => s.SensorId));
    }

    [Fact]
    public async Task Malformed_payloads_and_unknown_devices_are_counted_and_never_stop_ingestion()
    {
        await using var hub = await TestHub.StartAsync(Zigbee2Mqtt.Settings());
        await SetUpAsync(hub);
        await using var z2m = await ConnectAsync(hub);
        var stats = hub.Get<IngestStats>();

        await PublishAsync(z2m, Door, """{"contact":true}""");
        string[] corpus =
        [
            "not json", "", "[]", "{\"contact\":\"false\"}", "{\"contact\":0}", "{\"battery\":NaN}", "{\"battery\":\"NaN\"}",
            "{\"battery\":-5}", "{\"linkquality\":\"good\"}", "{\"contact\":fals", "{\"contact\":false,\"x\":\"" + new string('x', 5000) + "\"}",
        ];
        foreach (var payload in corpus)
        {
            await PublishAsync(z2m, Door, payload);
        }

        await PublishAsync(z2m, Door + "/availability", "{\"state\":42}");
        var outcome = await hub.Get<ZigbeeBridge>().HandleAsync("zigbee2mqtt/Keukenlamp", "{\"state\":\"ON\"}"u8.ToArray(), DateTimeOffset.UtcNow, _ => Task.CompletedTask, CancellationToken.None);
        Assert.Equal(ZigbeeOutcome.Rejected, outcome);

        await PublishAsync(z2m, Door, """{"contact":false}""");
        var events = await WaitForEventsAsync(hub, 1);
        Assert.Equal("open", Assert.Single(events).State);

        var rejected = stats.Rejected;
        Assert.Equal(corpus.Length + 2, rejected.Where(r => r.Key.StartsWith("zigbee-", StringComparison.Ordinal)).Sum(r => r.Value));
        Assert.Equal(1, rejected[ZigbeePayload.UnknownDevice]);
        Assert.Equal(1, rejected[ZigbeePayload.Oversize]);
        Assert.True(rejected[ZigbeePayload.Malformed] >= 4);
        Assert.True(rejected[ZigbeePayload.WrongType] >= 5);
    }

    [Fact]
    public async Task Zigbee2mqtt_has_its_own_account_and_may_publish_only_under_its_base_topic()
    {
        await using var hub = await TestHub.StartAsync(Zigbee2Mqtt.Settings());
        await hub.CreateKitAsync(Zigbee2Mqtt.Resident);

        await using (var wrong = new Zigbee2Mqtt())
        {
            Assert.NotEqual(MqttClientConnectResultCode.Success, await wrong.ConnectAsync(hub.MqttPort, Zigbee2Mqtt.Username, "not-the-password"));
        }

        await using var z2m = await ConnectAsync(hub);
        var intoKitTree = await z2m.PublishAsync(KitTopics.For(Zigbee2Mqtt.Resident, KitChannel.Events), "{}");
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, intoKitTree.ReasonCode);
        var elsewhere = await z2m.PublishAsync("homeassistant/sensor/x/config", "{}");
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, elsewhere.ReasonCode);
        var own = await z2m.PublishAsync("zigbee2mqtt/bridge/state", "{\"state\":\"online\"}");
        Assert.NotEqual(MqttClientPublishReasonCode.NotAuthorized, own.ReasonCode);
    }

    [Fact]
    public async Task Decommissioning_the_resident_forgets_the_last_state_battery_and_numbering_of_their_zigbee_devices()
    {
        await using var hub = await TestHub.StartAsync(Zigbee2Mqtt.Settings());
        var resident = await SetUpAsync(hub);
        await using var z2m = await ConnectAsync(hub);
        await PublishAsync(z2m, Door, """{"battery":90,"contact":true,"linkquality":120}""");
        await PublishAsync(z2m, Door, """{"battery":90,"contact":false,"linkquality":118}""");
        await WaitForEventsAsync(hub, 1);

        var consent = await hub.Http.PutAsJsonAsync($"/api/residents/{resident}/consent", new { monitoring = false, shareWithNurse = false, belronde = false, recordedBy = "test" });
        await TestHub.EnsureSuccessAsync(consent);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await hub.Http.DeleteAsync($"/api/residents/{resident}")).StatusCode);

        var store = hub.Get<ZigbeeStateStore>();
        Assert.DoesNotContain(store.LoadKits(), k => k.KitId == Zigbee2Mqtt.Resident);
        Assert.DoesNotContain(store.LoadSensors(), s => s.KitId == Zigbee2Mqtt.Resident);
        Assert.Equal(0, store.OutboxDepth());
        var devices = await hub.Http.GetFromJsonAsync<JsonElement>("/api/zigbee/devices");
        var door = devices.EnumerateArray().Single(d => d.GetProperty("device").GetString() == "Voordeur");
        Assert.False(door.TryGetProperty("battery", out var battery) && battery.ValueKind != JsonValueKind.Null, door.GetRawText());
        Assert.False(door.TryGetProperty("state", out var state) && state.ValueKind != JsonValueKind.Null, door.GetRawText());
    }

    [Fact]
    public async Task A_hub_restart_neither_re_emits_a_known_state_nor_renumbers_the_virtual_kit()
    {
        var dir = Directory.CreateTempSubdirectory("hs-zb-").FullName;
        try
        {
            string bootId;
            await using (var hub = await TestHub.StartAsync(Zigbee2Mqtt.Settings(), directory: dir, deleteOnDispose: false))
            {
                await SetUpAsync(hub);
                await using var z2m = await ConnectAsync(hub);
                await PublishAsync(z2m, Door, """{"contact":true}""");
                await PublishAsync(z2m, Door, """{"contact":false}""");
                bootId = Assert.Single(await WaitForEventsAsync(hub, 1)).BootId;
            }

            await using (var hub = await TestHub.StartAsync(Zigbee2Mqtt.Settings(), directory: dir, deleteOnDispose: false))
            {
                await using var z2m = await ConnectAsync(hub);
                await PublishAsync(z2m, Door, """{"contact":false}""", 3);
                await PublishAsync(z2m, Door, """{"contact":true}""");
                var events = await WaitForEventsAsync(hub, 2);
                Assert.Equal(["open", "closed"], events.Select(e => e.State));
                Assert.Equal([1L, 2], events.Select(e => e.Seq));
                Assert.All(events, e => Assert.Equal(bootId, e.BootId));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_change_recorded_but_not_yet_stored_before_a_restart_is_stored_once_at_start()
    {
        var dir = Directory.CreateTempSubdirectory("hs-zb-").FullName;
        try
        {
            await using (var hub = await TestHub.StartAsync(directory: dir, deleteOnDispose: false))
            {
                await hub.CreateKitAsync(Zigbee2Mqtt.Resident);
            }

            // As if the hub stopped between recording the change and the event store's write.
            var at = DateTimeOffset.UtcNow;
            var kit = new ZigbeeKitState(Zigbee2Mqtt.Resident, Guid.NewGuid().ToString("N"), 8);
            var change = new SensorEvent { KitId = kit.KitId, BootId = kit.BootId, Seq = 7, SensorId = "door-front", Kind = SensorKind.Door, State = SensorStates.Open, Ts = at, ClockSynced = true };
            var state = new ZigbeeStateStore(Path.Combine(dir, "zigbee.db"));
            await state.RecordChangeAsync(kit, new ZigbeeSensorState(kit.KitId, "door-front", SensorStates.Open, at, null, null, true, at, null, null), change, at, CancellationToken.None);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

            await using (var hub = await TestHub.StartAsync(Zigbee2Mqtt.Settings(), directory: dir, deleteOnDispose: false))
            {
                var stored = Assert.Single(await WaitForEventsAsync(hub, 1));
                Assert.Equal((kit.BootId, 7L, "open"), (stored.BootId, stored.Seq, stored.State));
                await Eventually.TrueAsync(() => state.OutboxDepth() == 0, "the outbox empties once the event is stored");

                await using var z2m = await ConnectAsync(hub);
                await PublishAsync(z2m, Door, """{"contact":true}""");
                var events = await WaitForEventsAsync(hub, 2);
                Assert.Equal(8, events[^1].Seq);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Zigbee_changes_reach_the_store_through_mosquitto_with_the_acl_the_hub_writes()
    {
        await using var env = await MosquittoHub.StartAsync(Zigbee2Mqtt.Settings());
        var resident = await SetUpAsync(env.Hub);
        env.Mosquitto.Reload();
        var acl = await File.ReadAllTextAsync(Path.Combine(env.Directory, "mosquitto.acl"));
        Assert.Contains("user zigbee2mqtt_bridge\ntopic readwrite zigbee2mqtt/#\n", acl, StringComparison.Ordinal);

        await using var z2m = new Zigbee2Mqtt();
        await Eventually.TrueAsync(async () => await z2m.ConnectAsync(env.Mosquitto.Port) == MqttClientConnectResultCode.Success, "zigbee2mqtt connects to mosquitto with its own account");
        var connection = env.Hub.Get<ZigbeeConnection>();
        await Eventually.TrueAsync(() => connection.IsListening, "the hub listens to zigbee2mqtt through mosquitto");

        await PublishAsync(z2m, Door, """{"contact":true,"battery":80}""", 2);
        await PublishAsync(z2m, Door, """{"contact":false,"battery":80}""", 2);
        await PublishAsync(z2m, Motion, """{"occupancy":false}""");
        await PublishAsync(z2m, Motion, """{"occupancy":true}""");
        var events = await WaitForEventsAsync(env.Hub, 2);
        Assert.Equal(["door-front:open", "motion-living:active"], events.Select(e => $"{e.SensorId}:{e.State}"));
        var api = await env.Hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{resident}/events");
        Assert.Equal(2, api.GetArrayLength());

        var intoKitTree = await z2m.PublishAsync(KitTopics.For(Zigbee2Mqtt.Resident, KitChannel.Events), "{}");
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, intoKitTree.ReasonCode);
    }

    private static async Task<string> SetUpAsync(TestHub hub)
    {
        var resident = await hub.CreateResidentAsync();
        await hub.CreateKitAsync(Zigbee2Mqtt.Resident, resident);
        return resident;
    }

    private static async Task<Zigbee2Mqtt> ConnectAsync(TestHub hub)
    {
        var z2m = new Zigbee2Mqtt();
        Assert.Equal(MqttClientConnectResultCode.Success, await z2m.ConnectAsync(hub.MqttPort));
        var connection = hub.Get<ZigbeeConnection>();
        await Eventually.TrueAsync(() => connection.IsListening, "the hub listens to zigbee2mqtt");
        return z2m;
    }

    private static async Task PublishAsync(Zigbee2Mqtt z2m, string topic, string payload, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            var result = await z2m.PublishAsync(topic, payload);
            Assert.True(result.IsSuccess, $"{result.ReasonCode} {result.ReasonString}");
        }
    }

    private static async Task<IReadOnlyList<StoredEvent>> WaitForEventsAsync(TestHub hub, int count)
    {
        IReadOnlyList<StoredEvent> events = [];
        await Eventually.TrueAsync(async () =>
            (events = await hub.Store.QueryEventsAsync(new EventQuery { KitIds = [Zigbee2Mqtt.Resident], Order = EventOrder.OldestFirst }, CancellationToken.None)).Count >= count,
            $"{count} zigbee events are stored");

        // Each test's last message makes its last event and messages are handled in order, so all are handled by now.
        Assert.Equal(count, events.Count);
        return events;
    }

    private static async Task<IReadOnlyList<Signal>> OpenSignalsAsync(SignalStore signals, string resident) =>
        [.. (await signals.ForResidentAsync(resident, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None)).Where(s => s.ResolvedAt is null)];
}
