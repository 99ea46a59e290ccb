using System.Buffers;
using System.Collections.Concurrent;
using HomeSignal.Benchmarks.Edge;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using HomeSignal.Edge.Tests.Support;
using HomeSignal.Testing.Servers;
using Microsoft.Extensions.Hosting;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HomeSignal.Edge.Tests.Hub;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LivenessTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private MosquittoServer _broker = null!;

    public async Task InitializeAsync()
    {
        // ACL: the hub may do anything under homesignal/; kit-denied may not publish events (but may send status and heartbeats).
        // mosquitto drops root privileges before it reads the ACL, so the file must be readable by its own user.
        var aclDir = _dir.File("broker");
        Directory.CreateDirectory(aclDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(_dir.Path, File.GetUnixFileMode(_dir.Path) | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);
        var acl = Path.Combine(aclDir, "acl");
        await File.WriteAllLinesAsync(acl,
        [
            "user hub",
            "topic readwrite homesignal/#",
            "user probe",
            "topic read homesignal/#",
            "user kit-denied",
            "topic read homesignal/v1/kits/kit-denied/acks",
            "topic write homesignal/v1/kits/kit-denied/status",
            "topic write homesignal/v1/kits/kit-denied/heartbeat",
            "user kit-beat",
            "topic readwrite homesignal/v1/kits/kit-beat/#",
        ]);
        File.SetUnixFileMode(acl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        // mosquitto 2.0.11 with max_queued_messages 0 (MosquittoServer's default) drops the connection on an ACL-denied
        // QoS 1 publish instead of answering PUBACK 0x87 (Not authorized); a finite queue restores the MQTT 5 behaviour.
        _broker = await MosquittoServer.StartAsync([$"acl_file {acl}", "max_queued_messages 100000"]);
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_publish_the_broker_refuses_as_not_authorised_keeps_the_event_and_raises_the_flag()
    {
        await using var hub = await AckingHub.StartAsync(_broker.Host, _broker.Port, _dir.File("hub.db"));
        using var kit = await TestKits.StartAsync(TestKits.Settings("kit-denied", _dir.File("kit"), _broker));
        kit.Injector().Open("door-front");

        await Eventually.TrueAsync(() => kit.Health().Has(HealthFlags.NotAuthorised), "the not-authorised flag");

        Assert.True(kit.Outbox().Stats().Depth >= 2);
        Assert.Equal(0, hub.Count("kit-denied"));
        await kit.StopAsync();
    }

    [Fact]
    public async Task The_kit_publishes_a_retained_online_status_heartbeats_with_health_and_offline_when_it_stops()
    {
        var settings = TestKits.Settings("kit-beat", _dir.File("kit"), _broker);
        settings["Liveness:HeartbeatIntervalSeconds"] = "1";
        await using var hub = await AckingHub.StartAsync(_broker.Host, _broker.Port, _dir.File("hub.db"));
        await using var probe = await Probe.StartAsync(_broker, "kit-beat");

        using (var kit = await TestKits.StartAsync(settings))
        {
            kit.Injector().Open("door-front");
            await Eventually.TrueAsync(() => probe.Heartbeats.Count >= 2 && probe.Statuses.Any(s => s.State == KitState.Online), "an online status and two heartbeats");

            var beat = probe.Heartbeats[^1];
            Assert.Equal(kit.Identity().BootId, beat.BootId);
            Assert.Equal(1, beat.IntervalSeconds);
            Assert.True(beat.ClockSynced);
            Assert.NotNull(beat.DiskFreeBytes);
            Assert.Equal(250_000, beat.Outbox.CapacityEvents);
            Assert.False(string.IsNullOrEmpty(beat.SoftwareVersion));
            Assert.Equal(7, beat.Sensors.Count);
            var door = Assert.Single(beat.Sensors, s => s.SensorId == "door-front");
            Assert.Equal(SensorStates.Open, door.State);
            Assert.NotNull(door.LastChange);
            await kit.StopAsync();
        }

        await Eventually.TrueAsync(() => probe.Statuses is [.., { State: KitState.Offline }], "the offline status after a clean stop");

        // A newcomer sees the retained status.
        await using var late = await Probe.StartAsync(_broker, "kit-beat");
        await Eventually.TrueAsync(() => late.Statuses.Count > 0, "the retained status");
        Assert.Equal(KitState.Offline, late.Statuses[^1].State);
    }

    [Fact]
    public async Task The_hub_can_ask_for_a_heartbeat_now()
    {
        var settings = TestKits.Settings("kit-beat", _dir.File("kit"), _broker);
        settings["Liveness:HeartbeatIntervalSeconds"] = "3600";
        await using var probe = await Probe.StartAsync(_broker, "kit-beat");
        using var kit = await TestKits.StartAsync(settings);
        await Eventually.TrueAsync(() => probe.Heartbeats.Count >= 1, "the first heartbeat");
        var before = probe.Heartbeats.Count;

        await probe.SendAsync(KitChannel.Commands, ContractReader.Write(new KitCommand
        {
            KitId = "kit-beat",
            CommandId = "c1",
            Name = KitCommandNames.HeartbeatNow,
            Ts = DateTimeOffset.UtcNow,
        }));

        await Eventually.TrueAsync(() => probe.Heartbeats.Count > before, "a heartbeat on request");
        await kit.StopAsync();
    }

    /// <summary>Watches one kit's status and heartbeat topics like the hub's kit-health view would.</summary>
    private sealed class Probe : IAsyncDisposable
    {
        private readonly IMqttClient _client;
        private readonly string _kitId;
        private readonly ConcurrentQueue<Heartbeat> _heartbeats = new();
        private readonly ConcurrentQueue<KitStatus> _statuses = new();

        private Probe(IMqttClient client, string kitId)
        {
            _client = client;
            _kitId = kitId;
        }

        public IReadOnlyList<Heartbeat> Heartbeats => [.. _heartbeats];

        public IReadOnlyList<KitStatus> Statuses => [.. _statuses];

        public static async Task<Probe> StartAsync(MosquittoServer broker, string kitId)
        {
            var client = new MqttClientFactory().CreateMqttClient();
            var probe = new Probe(client, kitId);
            client.ApplicationMessageReceivedAsync += e =>
            {
                var payload = e.ApplicationMessage.Payload.ToArray();
                if (KitTopics.TryParse(e.ApplicationMessage.Topic, out _, out var channel))
                {
                    if (channel == KitChannel.Heartbeat && ContractReader.ReadHeartbeat(payload, kitId) is { IsValid: true } hb)
                    {
                        probe._heartbeats.Enqueue(hb.Value!);
                    }
                    else if (channel == KitChannel.Status && ContractReader.ReadStatus(payload, kitId) is { IsValid: true } st)
                    {
                        probe._statuses.Enqueue(st.Value!);
                    }
                }

                return Task.CompletedTask;
            };
            await client.ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer(broker.Host, broker.Port)
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithCredentials("hub", "probe")
                .Build());
            await client.SubscribeAsync(KitTopics.For(kitId, KitChannel.Status), MqttQualityOfServiceLevel.AtLeastOnce);
            await client.SubscribeAsync(KitTopics.For(kitId, KitChannel.Heartbeat), MqttQualityOfServiceLevel.AtLeastOnce);
            return probe;
        }

        public Task<MqttClientPublishResult> SendAsync(KitChannel channel, byte[] payload) =>
            _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(KitTopics.For(_kitId, channel)).WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

        public async ValueTask DisposeAsync()
        {
            await _client.TryDisconnectAsync();
            _client.Dispose();
        }
    }
}
