using System.Net.Http.Json;
using System.Text.Json;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Tests.Support;
using MQTTnet;

namespace HomeSignal.Hub.Tests.Broker;

public sealed class MosquittoTests
{
    [Fact]
    public async Task Door_event_reaches_the_hub_store_and_api_through_mosquitto()
    {
        await using var env = await MosquittoHub.StartAsync();
        var credentials = await env.Hub.CreateKitAsync("kit-m1");
        await using var kit = await env.ConnectKitAsync("kit-m1", credentials.Username, credentials.Password);

        var publish = await kit.PublishAsync(kit.Event(1));
        Assert.True(publish.IsSuccess, $"{publish.ReasonCode} {publish.ReasonString}");
        await Eventually.TrueAsync(() => kit.HasStoredAck([1]), "the hub acknowledges through mosquitto");

        var row = Assert.Single(await env.Hub.Store.QueryEventsAsync(new EventQuery { KitIds = ["kit-m1"] }, CancellationToken.None));
        Assert.Equal(1, row.Seq);
        var events = await env.Hub.Http.GetFromJsonAsync<JsonElement>("/api/kits/kit-m1/events");
        Assert.Equal(kit.BootId, Assert.Single(events.EnumerateArray()).GetProperty("bootId").GetString());
    }

    [Fact]
    public async Task Kit_a_cannot_publish_as_kit_b_through_mosquitto()
    {
        await using var env = await MosquittoHub.StartAsync();
        var a = await env.Hub.CreateKitAsync("kit-ma");
        await env.Hub.CreateKitAsync("kit-mb");
        await using var kitA = await env.ConnectKitAsync("kit-ma", a.Username, a.Password);

        var asB = new SimulatedKit("kit-mb").Event(1);
        var onB = await kitA.PublishRawAsync(KitTopics.For("kit-mb", KitChannel.Events), ContractReader.Write(asB));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, onB.ReasonCode);

        // Mosquitto also drops the offending connection; the kit comes back and tries the payload on its own topic.
        await using var again = await env.ConnectKitAsync("kit-ma", a.Username, a.Password);
        var own = await again.PublishRawAsync(KitTopics.For("kit-ma", KitChannel.Events), ContractReader.Write(asB));
        Assert.True(own.IsSuccess);
        var stats = env.Hub.Get<IngestStats>();
        await Eventually.TrueAsync(() => stats.Rejected.GetValueOrDefault(ContractErrorCodes.KitIdMismatch) == 1, "the hub refuses the payload naming kit B");
        Assert.Equal(0, await env.Hub.Store.CountEventsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Unknown_revoked_and_anonymous_kits_cannot_connect_to_mosquitto()
    {
        await using var env = await MosquittoHub.StartAsync();
        var credentials = await env.Hub.CreateKitAsync("kit-mr");
        await using (var kit = await env.ConnectKitAsync("kit-mr", credentials.Username, credentials.Password))
        {
            Assert.True(kit.IsConnected);
        }

        await using (var anonymous = new SimulatedKit("kit-mr"))
        {
            Assert.NotEqual(MqttClientConnectResultCode.Success, await anonymous.ConnectAsync(env.Mosquitto.Port, null, null));
        }

        await using (var unknown = new SimulatedKit("kit-nobody"))
        {
            Assert.NotEqual(MqttClientConnectResultCode.Success, await unknown.ConnectAsync(env.Mosquitto.Port, "kit-nobody", credentials.Password));
        }

        await TestHub.EnsureSuccessAsync(await env.Hub.Http.PostAsync("/api/kits/kit-mr/revoke", null));
        env.Mosquitto.Reload();
        await Eventually.TrueAsync(async () =>
        {
            await using var again = new SimulatedKit("kit-mr");
            return await again.ConnectAsync(env.Mosquitto.Port, credentials.Username, credentials.Password) != MqttClientConnectResultCode.Success;
        }, "mosquitto refuses the revoked kit after reloading the hub's files");

        var acl = await File.ReadAllTextAsync(Path.Combine(env.Directory, "mosquitto.acl"));
        Assert.DoesNotContain("kit-mr", acl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_published_while_the_hub_is_down_are_kept_by_mosquitto_and_stored_once_when_it_returns()
    {
        await using var env = await MosquittoHub.StartAsync();
        var credentials = await env.Hub.CreateKitAsync("kit-down");
        await using var kit = await env.ConnectKitAsync("kit-down", credentials.Username, credentials.Password);
        await kit.PublishAsync(kit.Event(1));
        await Eventually.TrueAsync(() => kit.HasStoredAck([1]), "the first event is stored");

        await env.Hub.DisposeAsync();
        for (var seq = 2; seq <= 30; seq++)
        {
            var result = await kit.PublishAsync(kit.Event(seq));
            Assert.True(result.IsSuccess, $"mosquitto keeps seq {seq} for the hub's persistent session ({result.ReasonCode})");
        }

        await env.RestartHubAsync();
        await Eventually.TrueAsync(() => kit.HasStoredAck(Enumerable.Range(2, 29).Select(i => (long)i)), "the queued events are stored after the restart");
        Assert.Equal(30, await env.Hub.Store.CountEventsAsync(CancellationToken.None));
    }

    [Fact]
    public void The_acl_file_denies_by_default_and_gives_each_kit_only_its_own_topics()
    {
        var kit = new HomeSignal.Hub.Registry.KitRecord("kit-acl", null, "kit-acl", "$7$100$x$y", DateTimeOffset.UnixEpoch, null, []);
        var acl = HomeSignal.Hub.Broker.MosquittoFiles.Acl("homesignal-hub", [kit]);

        Assert.DoesNotContain("pattern", acl, StringComparison.Ordinal);
        Assert.Contains("user kit-acl\ntopic write homesignal/v1/kits/kit-acl/events\ntopic write homesignal/v1/kits/kit-acl/status\ntopic write homesignal/v1/kits/kit-acl/heartbeat\n" +
            "topic read homesignal/v1/kits/kit-acl/acks\ntopic read homesignal/v1/kits/kit-acl/config\ntopic read homesignal/v1/kits/kit-acl/commands\n", acl, StringComparison.Ordinal);
        Assert.DoesNotContain("kit-acl/#", acl, StringComparison.Ordinal);
    }
}
