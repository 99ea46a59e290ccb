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

/// <summary>What the kit does with what arrives on its acks topic: rejected entries, foreign and malformed acks.</summary>
public sealed class AckHandlingTests : IAsyncLifetime
{
    private const string KitId = "kit-acks";
    private readonly TempDirectory _dir = new();
    private MosquittoServer _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Events_the_hub_rejects_leave_the_outbox_and_raise_the_events_rejected_flag()
    {
        await using var hub = await AckingHub.StartAsync(_broker.Host, _broker.Port, _dir.File("hub.db"));
        hub.Acking = false;
        using var kit = await TestKits.StartAsync(TestKits.Settings(KitId, _dir.File("kit"), _broker));
        kit.Injector().Open("door-front");
        await Eventually.TrueAsync(() => hub.Events(KitId).Any(e => e.SensorId == "door-front"), "the door event at the hub");
        var door = hub.Events(KitId).Single(e => e.SensorId == "door-front");
        var depth = kit.Outbox().Stats().Depth;

        await SendAckAsync(ContractReader.Write(new HubAck
        {
            KitId = KitId,
            Ts = DateTimeOffset.UtcNow,
            Rejected = [new RejectedEvent(door.BootId, door.Seq, "test: implausible timestamp")],
        }));

        await Eventually.TrueAsync(() => kit.Health().Has(HealthFlags.EventsRejected), "the events-rejected flag");
        Assert.Equal(depth - 1, kit.Outbox().Stats().Depth);
        Assert.DoesNotContain(kit.Outbox().ReadAfter(0, 100), e => e.Seq == door.Seq);
        await kit.StopAsync();
    }

    [Fact]
    public async Task Malformed_acks_and_acks_naming_another_kit_release_nothing()
    {
        await using var hub = await AckingHub.StartAsync(_broker.Host, _broker.Port, _dir.File("hub.db"));
        hub.Acking = false;
        using var kit = await TestKits.StartAsync(TestKits.Settings(KitId, _dir.File("kit"), _broker));
        kit.Injector().Open("door-front");
        await Eventually.TrueAsync(() => hub.Count(KitId) >= 2, "the events at the hub");
        var bootId = kit.Identity().BootId;
        var depth = kit.Outbox().Stats().Depth;

        await SendAckAsync("{ not json"u8.ToArray());
        await SendAckAsync(ContractReader.Write(new HubAck { KitId = "kit-other", Ts = DateTimeOffset.UtcNow, Stored = [new SeqRange(bootId, 1, 100)] }));
        await SendAckAsync("""{"v":1,"kitId":"kit-acks","ts":"2026-03-02T07:00:00Z","stored":[{"bootId":"xyz","from":1,"to":100}]}"""u8.ToArray());
        await SendAckAsync(ContractReader.Write(new HubAck { KitId = KitId, Ts = DateTimeOffset.UtcNow, Stored = [new SeqRange(new string('0', 32), 1, 100)] }));
        // A valid ack last: once it has been handled, the bad ones before it have been too (one connection, in order).
        await SendAckAsync(ContractReader.Write(new HubAck { KitId = KitId, Ts = DateTimeOffset.UtcNow, Stored = [new SeqRange(bootId, 1, 1)] }));

        await Eventually.TrueAsync(() => kit.Outbox().Stats().Depth == depth - 1, "the valid ack to release exactly one event");
        Assert.True(kit.Link().IsConnected);
        await kit.StopAsync();
    }

    private async Task SendAckAsync(byte[] payload)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(_broker.Host, _broker.Port).WithProtocolVersion(MqttProtocolVersion.V500).WithCredentials("hub", "x").Build());
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(KitTopics.For(KitId, KitChannel.Acks)).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await client.DisconnectAsync();
    }
}
