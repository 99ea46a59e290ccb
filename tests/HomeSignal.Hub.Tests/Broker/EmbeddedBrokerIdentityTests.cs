using System.Text.Json;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Tests.Support;
using MQTTnet;

namespace HomeSignal.Hub.Tests.Broker;

public sealed class EmbeddedBrokerIdentityTests
{
    [Fact]
    public async Task Kit_a_cannot_publish_as_kit_b_on_the_embedded_broker()
    {
        await using var hub = await TestHub.StartAsync();
        var a = await hub.CreateKitAsync("kit-aaa");
        await hub.CreateKitAsync("kit-bbb");
        await using var kitA = new SimulatedKit("kit-aaa");
        Assert.Equal(MqttClientConnectResultCode.Success, await kitA.ConnectAsync(hub.MqttPort, a.Username, a.Password));

        // On kit B's topic: refused by the broker.
        var asB = new SimulatedKit("kit-bbb").Event(1);
        var onB = await kitA.PublishRawAsync(KitTopics.For("kit-bbb", KitChannel.Events), ContractReader.Write(asB));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, onB.ReasonCode);

        // On its own topic but naming kit B: refused by the hub.
        var own = await kitA.PublishRawAsync(KitTopics.For("kit-aaa", KitChannel.Events), ContractReader.Write(asB));
        Assert.True(own.IsSuccess);
        var stats = hub.Get<IngestStats>();
        await Eventually.TrueAsync(() => stats.Rejected.GetValueOrDefault(ContractErrorCodes.KitIdMismatch) == 1, "the mismatch is counted");

        // Nor may it listen to other kits.
        var subscribe = await kitA.SubscribeAsync("homesignal/v1/kits/#");
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(subscribe.Items).ResultCode);
        Assert.Equal(0, await hub.Store.CountEventsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Unknown_revoked_and_anonymous_kits_cannot_connect_to_the_embedded_broker()
    {
        await using var hub = await TestHub.StartAsync();
        var credentials = await hub.CreateKitAsync("kit-rev");

        await using (var anonymous = new SimulatedKit("kit-rev"))
        {
            Assert.NotEqual(MqttClientConnectResultCode.Success, await anonymous.ConnectAsync(hub.MqttPort, null, null));
        }

        await using (var wrong = new SimulatedKit("kit-rev"))
        {
            Assert.NotEqual(MqttClientConnectResultCode.Success, await wrong.ConnectAsync(hub.MqttPort, credentials.Username, "not-the-password"));
        }

        await using (var unknown = new SimulatedKit("kit-nobody"))
        {
            Assert.NotEqual(MqttClientConnectResultCode.Success, await unknown.ConnectAsync(hub.MqttPort, "kit-nobody", credentials.Password));
        }

        await using var kit = new SimulatedKit("kit-rev");
        Assert.Equal(MqttClientConnectResultCode.Success, await kit.ConnectAsync(hub.MqttPort, credentials.Username, credentials.Password));
        var revoke = await hub.Http.PostAsync("/api/kits/kit-rev/revoke", null);
        await TestHub.EnsureSuccessAsync(revoke);
        await Eventually.TrueAsync(() => !kit.IsConnected, "the revoked kit's session is closed");

        await using var again = new SimulatedKit("kit-rev");
        Assert.NotEqual(MqttClientConnectResultCode.Success, await again.ConnectAsync(hub.MqttPort, credentials.Username, credentials.Password));
        var view = await hub.Http.GetStringAsync("/api/kits/kit-rev");
        Assert.Equal("revoked", JsonDocument.Parse(view).RootElement.GetProperty("status").GetString());
    }
}
