using System.Net.Http.Json;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Topics;
using HomeSignal.Hub.Broker;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Tests.Support;

namespace HomeSignal.Hub.Tests.KitConfiguration;

public sealed class KitConfigTests
{
    private static readonly string AllConfigs = KitTopics.AllKits(KitChannel.Config);

    [Fact]
    public async Task A_kit_reads_its_retained_config_and_hears_of_binding_and_sensor_changes_on_the_embedded_broker()
    {
        await using var hub = await TestHub.StartAsync(new Dictionary<string, string?> { ["KitConfig:HeartbeatIntervalSeconds"] = "45" });
        var resident = await hub.CreateResidentAsync();
        var credentials = await hub.CreateKitAsync("kit-c1", resident);

        var own = KitTopics.For("kit-c1", KitChannel.Config);
        ConfigObserver? kit = null;
        await Eventually.TrueAsync(async () => (kit = await ConfigObserver.StartAsync(hub.MqttPort, credentials.Username, credentials.Password, own)) is not null, "the kit subscribes to its own config");
        await using var _ = kit;
        await Eventually.TrueAsync(() => kit!.Latest("kit-c1") is not null, "the kit receives its retained config");
        var config = kit!.Latest("kit-c1")!;
        Assert.Equal(45, config.HeartbeatIntervalSeconds);
        Assert.Equal(["door-front:door:hal:front-door", "motion-living:motion:woonkamer:presence"],
            config.Sensors.Select(s => $"{s.SensorId}:{HomeSignal.Hub.Storage.SensorKinds.ToText(s.Kind)}:{s.Room}:{s.Purpose}"));

        var other = await hub.CreateResidentAsync("Meneer de Vries");
        var before = kit.For("kit-c1").Count;
        await TestHub.EnsureSuccessAsync(await hub.Http.PostAsJsonAsync("/api/kits/kit-c1/bind", new { residentId = other }));
        await Eventually.TrueAsync(() => kit.For("kit-c1").Count > before, "binding the kit publishes its config again");

        await hub.Get<KitRegistry>().SetSensorsAsync("kit-c1", [new SensorRecord("mailbox-flap", SensorKind.MailboxFlap, "voordeur", "post")], CancellationToken.None);
        await Eventually.TrueAsync(() => kit.Latest("kit-c1")?.Sensors is [{ SensorId: "mailbox-flap" }], "a sensor change publishes the new sensors");
    }

    [Fact]
    public async Task Revoked_kits_lose_their_retained_config_and_a_restarted_hub_republishes_the_others_on_the_embedded_broker()
    {
        var dir = Directory.CreateTempSubdirectory("hs-cfg-").FullName;
        try
        {
            await using (var hub = await TestHub.StartAsync(directory: dir, deleteOnDispose: false))
            {
                await hub.CreateKitAsync("kit-keep");
                await hub.CreateKitAsync("kit-gone");
                var endpoint = hub.Get<BrokerEndpoint>();
                await using var observer = (await ConfigObserver.StartAsync(hub.MqttPort, endpoint.Username, endpoint.Password, AllConfigs))!;
                await Eventually.TrueAsync(() => observer.Latest("kit-gone") is not null && observer.Latest("kit-keep") is not null, "both kits' configs are retained");

                await TestHub.EnsureSuccessAsync(await hub.Http.PostAsync(new Uri("/api/kits/kit-gone/revoke", UriKind.Relative), null));
                await Eventually.TrueAsync(() => observer.For("kit-gone") is [.., { Length: 0 }], "revoking clears the retained config");

                await using var fresh = (await ConfigObserver.StartAsync(hub.MqttPort, endpoint.Username, endpoint.Password, AllConfigs))!;
                await Eventually.TrueAsync(() => fresh.Latest("kit-keep") is not null, "a new subscriber gets the remaining retained config");
                Assert.Empty(fresh.For("kit-gone"));
            }

            // The embedded broker keeps retained messages in memory only: the hub publishes them again at start.
            await using (var hub = await TestHub.StartAsync(directory: dir, deleteOnDispose: false))
            {
                var endpoint = hub.Get<BrokerEndpoint>();
                await using var observer = (await ConfigObserver.StartAsync(hub.MqttPort, endpoint.Username, endpoint.Password, AllConfigs))!;
                await Eventually.TrueAsync(() => observer.Latest("kit-keep") is not null, "the restarted hub republishes the config");
                Assert.All(observer.For("kit-gone"), payload => Assert.Empty(payload));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Kit_configs_are_retained_cleared_and_republished_at_start_through_mosquitto()
    {
        await using var env = await MosquittoHub.StartAsync();
        var credentials = await env.Hub.CreateKitAsync("kit-mc1");
        await env.Hub.CreateKitAsync("kit-mc2");
        env.Mosquitto.Reload();

        ConfigObserver? kit = null;
        var own = KitTopics.For("kit-mc1", KitChannel.Config);
        await Eventually.TrueAsync(async () => (kit = await ConfigObserver.StartAsync(env.Mosquitto.Port, credentials.Username, credentials.Password, own)) is not null, "the kit subscribes to its own config through mosquitto");
        await using var _ = kit;
        await Eventually.TrueAsync(() => kit!.Latest("kit-mc1")?.Sensors.Count == 2, "the kit receives its retained config through mosquitto");

        await using var hubView = (await ConfigObserver.StartAsync(env.Mosquitto.Port, MosquittoHub.HubUser, MosquittoHub.HubPassword, AllConfigs))!;
        await Eventually.TrueAsync(() => hubView.Latest("kit-mc2") is not null, "the other kit's config is retained");
        await TestHub.EnsureSuccessAsync(await env.Hub.Http.PostAsync(new Uri("/api/kits/kit-mc2/revoke", UriKind.Relative), null));
        await Eventually.TrueAsync(() => hubView.For("kit-mc2") is [.., { Length: 0 }], "revoking clears the retained config in mosquitto");

        // Remove kit-mc1's retained config behind the hub's back; the restarted hub publishes it again.
        await hubView.PublishRetainedAsync(own, []);
        await env.RestartHubAsync();
        await using var after = (await ConfigObserver.StartAsync(env.Mosquitto.Port, MosquittoHub.HubUser, MosquittoHub.HubPassword, AllConfigs))!;
        await Eventually.TrueAsync(() => after.Latest("kit-mc1") is not null, "the restarted hub republishes the config");
        Assert.All(after.For("kit-mc2"), payload => Assert.Empty(payload));
    }
}
