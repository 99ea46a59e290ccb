using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using HomeSignal.Edge.Liveness;
using HomeSignal.Edge.Tests.Support;
using HomeSignal.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HomeSignal.Edge.Tests.Hub;

/// <summary>The hub publishes each kit's <see cref="KitConfig"/> retained; the kit applies its heartbeat interval.</summary>
public sealed class KitConfigTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private MosquittoServer _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_retained_config_from_the_hub_sets_the_heartbeat_interval_and_a_cleared_one_changes_nothing()
    {
        using var hub = new MqttClientFactory().CreateMqttClient();
        await hub.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(_broker.Host, _broker.Port).WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("hub-config").WithCredentials("hub", "hub").Build());
        var topic = KitTopics.For("kit-cfg", KitChannel.Config);
        await PublishRetainedAsync(hub, topic, ContractReader.Write(new KitConfig
        {
            KitId = "kit-cfg",
            Ts = DateTimeOffset.UtcNow,
            HeartbeatIntervalSeconds = 7,
            Sensors = [new SensorAssignment("door-front", SensorKind.Door, "hal", "front-door")],
        }));

        var settings = TestKits.Settings("kit-cfg", _dir.File("kit"), _broker);
        settings["Liveness:HeartbeatIntervalSeconds"] = "60";
        using var kit = await TestKits.StartAsync(settings);
        var schedule = kit.Services.GetRequiredService<HeartbeatSchedule>();
        await Eventually.TrueAsync(() => schedule.Interval == TimeSpan.FromSeconds(7), "the kit applies the hub's heartbeat interval");

        // A revoked kit's config is cleared with an empty retained message: the kit ignores it.
        await PublishRetainedAsync(hub, topic, []);
        await PublishRetainedAsync(hub, topic, ContractReader.Write(new KitConfig { KitId = "kit-cfg", Ts = DateTimeOffset.UtcNow, HeartbeatIntervalSeconds = 9 }));
        await Eventually.TrueAsync(() => schedule.Interval == TimeSpan.FromSeconds(9), "the kit applies a later config after an empty one");
        await kit.StopAsync();
    }

    private static Task<MqttClientPublishResult> PublishRetainedAsync(IMqttClient client, string topic, byte[] payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag()
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
}
