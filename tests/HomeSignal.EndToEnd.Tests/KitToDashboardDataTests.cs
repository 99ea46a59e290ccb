using System.Net.Http.Json;
using System.Text.Json;
using HomeSignal.Edge.Tests.Support;
using HomeSignal.EndToEnd.Tests.Support;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Tests.Support;
using Microsoft.Extensions.Hosting;
using Eventually = HomeSignal.Hub.Tests.Support.Eventually;

namespace HomeSignal.EndToEnd.Tests;

/// <summary>A real edge worker (simulated GPIO) and a real hub, in one process: a door opened at the kit reaches the hub's store and API.</summary>
public sealed class KitToDashboardDataTests
{
    [Fact]
    public async Task A_door_opened_at_a_kit_reaches_the_hub_store_and_api_through_the_embedded_broker()
    {
        await using var hub = await TestHub.StartAsync();
        var residentId = await hub.CreateResidentAsync();
        var credentials = await CreateKitAsync(hub, "kit-e2e-embedded", residentId);
        var dataDir = Directory.CreateTempSubdirectory("hs-e2e-kit-").FullName;

        using var kit = await StartKitAsync(credentials.KitId, credentials.Password, dataDir, hub.MqttPort);
        kit.Injector().Open("door-front");

        await AssertDoorEventStoredAsync(hub, credentials.KitId);
        await kit.StopAsync();
    }

    [Fact]
    public async Task A_door_opened_at_a_kit_reaches_the_hub_store_and_api_through_a_real_mosquitto()
    {
        await using var system = await MosquittoHub.StartAsync();
        var residentId = await system.Hub.CreateResidentAsync();
        var credentials = await CreateKitAsync(system.Hub, "kit-e2e-mosquitto", residentId);
        system.Mosquitto.Reload();
        var dataDir = Directory.CreateTempSubdirectory("hs-e2e-kit-").FullName;

        using var kit = await StartKitAsync(credentials.KitId, credentials.Password, dataDir, system.Mosquitto.Port);
        kit.Injector().Open("door-front");

        await AssertDoorEventStoredAsync(system.Hub, credentials.KitId);
        await kit.StopAsync();
    }

    internal static async Task<Hub.Registry.KitCredentials> CreateKitAsync(TestHub hub, string kitId, string residentId)
    {
        var response = await hub.Http.PostAsJsonAsync("/api/kits", new { kitId, residentId, sensors = KitSensors.Registry });
        await TestHub.EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<Hub.Registry.KitCredentials>())!;
    }

    private static async Task<IHost> StartKitAsync(string kitId, string password, string dataDir, int port)
    {
        var settings = TestKits.Settings(kitId, dataDir, "127.0.0.1", port);
        settings["Mqtt:Password"] = password;
        return await TestKits.StartAsync(settings);
    }

    private static async Task AssertDoorEventStoredAsync(TestHub hub, string kitId)
    {
        // Through the HTTP API the dashboard reads...
        JsonElement[] events = [];
        await Eventually.TrueAsync(async () =>
        {
            events = (await hub.Http.GetFromJsonAsync<JsonElement[]>($"/api/kits/{kitId}/events?limit=20"))!;
            return events.Any(e => e.GetProperty("sensorId").GetString() == "door-front" && e.GetProperty("state").GetString() == "open");
        }, $"the door event of {kitId} is listed by the hub's API");

        // ...and in the hub's durable SQLite store, exactly once.
        var stored = await hub.Store.QueryEventsAsync(new EventQuery { KitIds = [kitId], Limit = 100 }, CancellationToken.None);
        Assert.Single(stored, e => e.SensorId == "door-front" && e.State == "open");

        var kits = (await hub.Http.GetFromJsonAsync<JsonElement[]>("/api/kits"))!;
        var kit = Assert.Single(kits, k => k.GetProperty("kitId").GetString() == kitId);
        Assert.Equal(JsonValueKind.String, kit.GetProperty("lastSeen").ValueKind);
    }
}
