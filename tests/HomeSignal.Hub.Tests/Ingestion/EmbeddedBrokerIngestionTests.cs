using System.Net.Http.Json;
using System.Text.Json;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Tests.Support;

namespace HomeSignal.Hub.Tests.Ingestion;

public sealed class EmbeddedBrokerIngestionTests
{
    [Fact]
    public async Task Door_event_reaches_sqlite_and_the_http_api_through_the_embedded_broker()
    {
        await using var hub = await TestHub.StartAsync();
        var credentials = await hub.CreateKitAsync("kit-a1");
        await using var kit = new SimulatedKit("kit-a1");
        Assert.Equal(MQTTnet.MqttClientConnectResultCode.Success, await kit.ConnectAsync(hub.MqttPort, credentials.Username, credentials.Password));

        var publish = await kit.PublishAsync(kit.Event(1));
        Assert.True(publish.IsSuccess, publish.ReasonString);
        await Eventually.TrueAsync(() => kit.HasStoredAck([1]), "the hub acknowledges seq 1");

        var stored = await hub.Store.QueryEventsAsync(new EventQuery { KitIds = ["kit-a1"] }, CancellationToken.None);
        var row = Assert.Single(stored);
        Assert.Equal((kit.BootId, 1L, SensorKind.Door, "open"), (row.BootId, row.Seq, row.Kind, row.State));

        var recent = await hub.Http.GetFromJsonAsync<JsonElement>("/api/events/recent");
        var item = Assert.Single(recent.EnumerateArray());
        Assert.Equal("kit-a1", item.GetProperty("kitId").GetString());
        Assert.Equal("door", item.GetProperty("kind").GetString());
        Assert.Equal("open", item.GetProperty("state").GetString());

        var kits = await hub.Http.GetFromJsonAsync<JsonElement>("/api/kits");
        var listed = Assert.Single(kits.EnumerateArray());
        Assert.Equal("online", listed.GetProperty("status").GetString());
        Assert.True(listed.TryGetProperty("lastSeen", out _));
    }

    [Fact]
    public async Task Replayed_events_are_stored_once_and_acknowledged_every_time()
    {
        await using var hub = await TestHub.StartAsync();
        var credentials = await hub.CreateKitAsync("kit-replay");
        await using var kit = new SimulatedKit("kit-replay");
        await kit.ConnectAsync(hub.MqttPort, credentials.Username, credentials.Password);

        for (var round = 0; round < 3; round++)
        {
            for (var seq = 1; seq <= 20; seq++)
            {
                await kit.PublishAsync(kit.Event(seq, seq % 2 == 0 ? SensorStates.Closed : SensorStates.Open));
            }
        }

        var ingest = hub.Get<HomeSignal.Hub.Ingestion.IngestStats>();
        await Eventually.TrueAsync(() => ingest.Stored + ingest.Duplicates == 60, "all 60 publishes are written or recognised as duplicates");
        await Eventually.TrueAsync(() => kit.HasStoredAck(Enumerable.Range(1, 20).Select(i => (long)i)), "every seq is acknowledged");
        Assert.Equal(20, await hub.Store.CountEventsAsync(CancellationToken.None));
        var stats = await hub.Http.GetFromJsonAsync<JsonElement>("/api/ingest/stats");
        Assert.Equal(60, stats.GetProperty("received").GetInt64());
        Assert.Equal(20, stats.GetProperty("stored").GetInt64());
        Assert.Equal(40, stats.GetProperty("duplicates").GetInt64());
    }

    [Fact]
    public async Task A_kit_clock_at_1970_or_days_ahead_is_quarantined_with_the_receive_time_and_still_acknowledged()
    {
        await using var hub = await TestHub.StartAsync();
        var credentials = await hub.CreateKitAsync("kit-clock");
        await using var kit = new SimulatedKit("kit-clock");
        await kit.ConnectAsync(hub.MqttPort, credentials.Username, credentials.Password);

        await kit.PublishAsync(kit.Event(1, ts: DateTimeOffset.UnixEpoch));
        await kit.PublishAsync(kit.Event(2, ts: DateTimeOffset.UtcNow.AddDays(3)));
        await kit.PublishAsync(kit.Event(3));
        await Eventually.TrueAsync(() => kit.HasStoredAck([1, 2, 3]), "all three are acknowledged");

        var normal = await hub.Store.QueryEventsAsync(new EventQuery { KitIds = ["kit-clock"] }, CancellationToken.None);
        Assert.Equal([3L], normal.Select(e => e.Seq));
        var all = await hub.Store.QueryEventsAsync(new EventQuery { KitIds = ["kit-clock"], IncludeQuarantined = true }, CancellationToken.None);
        var quarantined = all.Where(e => e.QuarantineReason is not null).OrderBy(e => e.Seq).ToList();
        Assert.Equal([1L, 2L], quarantined.Select(e => e.Seq));
        Assert.All(quarantined, e => Assert.StartsWith("implausible-timestamp", e.QuarantineReason, StringComparison.Ordinal));
        Assert.All(quarantined, e => Assert.True(DateTimeOffset.UtcNow - e.ReceivedAt < TimeSpan.FromMinutes(10)));

        var stats = await hub.Http.GetFromJsonAsync<JsonElement>("/api/ingest/stats");
        Assert.Equal(2, stats.GetProperty("quarantined").GetInt64());
    }

    [Fact]
    public async Task Invalid_events_are_rejected_back_to_the_kit_counted_by_reason_and_the_hub_keeps_working()
    {
        await using var hub = await TestHub.StartAsync();
        var credentials = await hub.CreateKitAsync("kit-bad");
        await using var kit = new SimulatedKit("kit-bad");
        await kit.ConnectAsync(hub.MqttPort, credentials.Username, credentials.Password);
        var topic = HomeSignal.Contracts.Topics.KitTopics.For("kit-bad", HomeSignal.Contracts.Topics.KitChannel.Events);

        await kit.PublishRawAsync(topic, "{not json"u8.ToArray());
        await kit.PublishRawAsync(topic, new byte[20_000]);
        var wrongState = $$"""{"v":1,"kitId":"kit-bad","bootId":"{{kit.BootId}}","seq":7,"sensorId":"door-front","kind":"door","state":"ajar","ts":"2026-01-01T00:00:00Z","clockSynced":true}""";
        await kit.PublishRawAsync(topic, System.Text.Encoding.UTF8.GetBytes(wrongState));
        await kit.PublishAsync(kit.Event(8));

        await Eventually.TrueAsync(() => kit.HasStoredAck([8]), "the valid event after the bad ones is stored");
        await Eventually.TrueAsync(() => kit.Acks.Any(a => a.Rejected.Any(r => r.Seq == 7 && r.Reason == "invalid-state")), "the kit is told seq 7 was rejected");
        var stats = await hub.Http.GetFromJsonAsync<JsonElement>("/api/ingest/stats");
        var rejected = stats.GetProperty("rejected");
        Assert.Equal(1, rejected.GetProperty("malformed-json").GetInt64());
        Assert.Equal(1, rejected.GetProperty("oversize").GetInt64());
        Assert.Equal(1, rejected.GetProperty("invalid-state").GetInt64());
        Assert.Equal(1, await hub.Store.CountEventsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_heartbeat_updates_the_kits_health_in_the_api()
    {
        await using var hub = await TestHub.StartAsync();
        var credentials = await hub.CreateKitAsync("kit-hb");
        var before = await hub.Http.GetFromJsonAsync<JsonElement>("/api/kits/kit-hb");
        Assert.Equal("never-seen", before.GetProperty("status").GetString());

        await using var kit = new SimulatedKit("kit-hb");
        await kit.ConnectAsync(hub.MqttPort, credentials.Username, credentials.Password);
        await kit.HeartbeatAsync(outboxDepth: 17);

        await Eventually.TrueAsync(async () =>
        {
            var view = await hub.Http.GetFromJsonAsync<JsonElement>("/api/kits/kit-hb");
            return view.TryGetProperty("outbox", out var outbox) && outbox.GetProperty("depth").GetInt64() == 17;
        }, "the heartbeat's outbox depth is served");
        var after = await hub.Http.GetFromJsonAsync<JsonElement>("/api/kits/kit-hb");
        Assert.Equal("online", after.GetProperty("status").GetString());
        Assert.Equal(kit.BootId, after.GetProperty("bootId").GetString());
        Assert.Equal("0.1.0-test", after.GetProperty("softwareVersion").GetString());
        Assert.Equal(2, after.GetProperty("sensors").GetArrayLength());
    }
}
