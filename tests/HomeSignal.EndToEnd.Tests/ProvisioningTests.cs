using System.Device.Gpio;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HomeSignal.Edge.Kit;
using HomeSignal.Edge.Provisioning;
using HomeSignal.Edge.Sensors;
using HomeSignal.Edge.Tests.Support;
using HomeSignal.Hub.Detection;
using HomeSignal.Hub.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Eventually = HomeSignal.Hub.Tests.Support.Eventually;

namespace HomeSignal.EndToEnd.Tests;

/// <summary>
/// Issue #7 end to end: a real edge kit (simulated GPIO) without credentials and a real hub. The installer enrols the
/// kit's claim code, the kit collects its credentials and connects, the walk test catches a front-door reed that is
/// configured the wrong way round, passes once it is rewired, the kit goes live and its events flow into monitoring.
/// </summary>
public sealed class ProvisioningTests
{
    private const int DoorPin = 17; // door-front in the edge's default wiring: a normally-open reed with pull-up, open = High, shut = Low

    [Fact]
    public async Task A_kit_in_claim_mode_is_enrolled_walk_tested_with_an_inverted_door_caught_put_live_and_its_events_flow()
    {
        await using var hub = await TestHub.StartAsync(new Dictionary<string, string?>
        {
            ["Provisioning:PollInterval"] = "00:00:01",
            ["Provisioning:MinPollInterval"] = "00:00:00",
        });
        var residentId = await hub.CreateResidentAsync("Mevrouw de Vries");
        await TestHub.EnsureSuccessAsync(await hub.Http.PutAsJsonAsync($"/api/residents/{residentId}/consent",
            new { monitoring = true, shareWithNurse = true, belronde = true, recordedBy = "installateur Piet" }));

        var dataDir = Directory.CreateTempSubdirectory("hs-e2e-claim-").FullName;
        var settings = TestKits.Settings("unused", dataDir);
        settings.Remove("Kit:KitId");
        settings.Remove("Mqtt:Username");
        settings.Remove("Mqtt:Password");
        settings["Provisioning:HubUrl"] = hub.Http.BaseAddress!.ToString();
        settings["Gpio:Sensors:0:Contact"] = "NormallyClosed"; // wrong: the front-door reed is normally open
        using var claimHost = await TestKits.StartAsync(settings);

        // The kit shows its code; the installer types it in (lower case, without dashes: both are fine).
        var claimer = claimHost.Services.GetRequiredService<Claimer>();
        await Eventually.TrueAsync(() => claimer.CurrentCode is not null, "the kit made a claim code");
        var typed = claimer.CurrentCode!.Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        await Eventually.TrueAsync(async () => (await hub.Http.GetAsync($"/api/claims/{typed}")).StatusCode == HttpStatusCode.OK, "the hub saw the kit's code");
        Assert.True(File.Exists(Path.Combine(dataDir, "claim-label.png")));
        var enrolled = await hub.Http.PostAsJsonAsync("/api/enrolments", new { claimCode = typed, residentId, enrolledBy = "installateur Piet" });
        await TestHub.EnsureSuccessAsync(enrolled);
        var kitId = (await enrolled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kitId").GetString()!;

        // The kit collects its credentials and runs as that kit, in the same process.
        using var kit = await claimHost.Services.GetRequiredService<KitLauncher>().Started.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(kitId, kit.Services.GetRequiredService<KitIdentity>().KitId);
        await Eventually.TrueAsync(async () => (await Kit(hub, kitId)).GetProperty("status").GetString() == "online", "the enrolled kit is online at the hub");
        Assert.Equal("installing", (await Kit(hub, kitId)).GetProperty("stage").GetString());
        Assert.Equal("collected", (await hub.Http.GetFromJsonAsync<JsonElement>($"/api/claims/{typed}")).GetProperty("status").GetString());

        // The simulated pull-up holds the door's pin High (physically open); the installer shuts it before the walk test.
        var pins = kit.Services.GetRequiredService<SimulatedGpioDriver>();
        var injector = kit.Injector();
        var bank = kit.Services.GetRequiredService<SensorBank>();
        pins.SetLevel(DoorPin, PinValue.Low);
        foreach (var contact in new[] { "mailbox-flap", "mailbox-door" })
        {
            if (bank.Health().Single(h => h.SensorId == contact).State != Contracts.Payloads.SensorStates.Closed)
            {
                injector.Close(contact);
            }
        }

        await Eventually.TrueAsync(async () => (await hub.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{kitId}/events")).EnumerateArray()
            .Any(e => e.GetProperty("sensorId").GetString() == "door-front"), "the shut door reached the hub");
        await Eventually.TrueAsync(() => bank.Health().Where(h => h.SensorId.StartsWith("mailbox", StringComparison.Ordinal)).All(h => h.State == Contracts.Payloads.SensorStates.Closed), "the post box is shut");
        await Eventually.TrueAsync(() => kit.Outbox().Stats().Depth == 0, "every event before the walk test reached the hub");

        await TestHub.EnsureSuccessAsync(await hub.Http.PostAsync($"/api/kits/{kitId}/walktest", null));

        // Front door, wired/configured the wrong way round: opening it makes the kit say "closed".
        await ActAsync(hub, kitId, "door-front", 1, () => pins.SetLevel(DoorPin, PinValue.High)); // physically opened
        await ActAsync(hub, kitId, "door-front", 2, () => pins.SetLevel(DoorPin, PinValue.Low)); // physically shut
        var door = await StepAsync(hub, kitId, "door-front");
        Assert.Equal("failed", door.GetProperty("status").GetString());
        Assert.Equal("inverted", door.GetProperty("problem").GetString());
        Assert.Contains("omgekeerd", door.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        var early = await hub.Http.PostAsJsonAsync($"/api/kits/{kitId}/golive", new { by = "installateur Piet" });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);

        // The installer swaps the wires (the shut door now reads High, which this kit calls closed) and retries the step.
        await ActAsync(hub, kitId, "door-front", 3, () => pins.SetLevel(DoorPin, PinValue.High));
        Assert.Equal(HttpStatusCode.NoContent, (await hub.Http.PostAsync($"/api/kits/{kitId}/walktest/steps/door-front/retry", null)).StatusCode);
        await ActAsync(hub, kitId, "door-front", 1, () => pins.SetLevel(DoorPin, PinValue.Low)); // opened: "open"
        await ActAsync(hub, kitId, "door-front", 2, () => pins.SetLevel(DoorPin, PinValue.High)); // shut: "closed"
        Assert.Equal("passed", (await StepAsync(hub, kitId, "door-front")).GetProperty("status").GetString());

        foreach (var motion in new[] { "motion-living", "motion-bedroom", "motion-kitchen" })
        {
            await ActAsync(hub, kitId, motion, 1, () => injector.SetMotion(motion, true));
            injector.SetMotion(motion, false);
        }

        foreach (var contact in new[] { "mailbox-flap", "mailbox-door" })
        {
            await ActAsync(hub, kitId, contact, 1, () => injector.Open(contact));
            await ActAsync(hub, kitId, contact, 2, () => injector.Close(contact));
        }

        var walkTest = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{kitId}/walktest");
        Assert.True(walkTest.GetProperty("passed").GetBoolean(), walkTest.ToString());

        Assert.Equal(HttpStatusCode.NoContent, (await hub.Http.PostAsJsonAsync($"/api/kits/{kitId}/golive", new { by = "installateur Piet" })).StatusCode);
        Assert.Equal("live", (await Kit(hub, kitId)).GetProperty("stage").GetString());
        var resident = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId}");
        Assert.Equal(1, resident.GetProperty("learningDay").GetInt32());

        // Live: events flow into the resident's record and detection follows her.
        var before = (await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId}/events")).GetArrayLength();
        injector.Press("button-ok");
        await Eventually.TrueAsync(async () => (await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId}/events")).GetArrayLength() > before, "a live event reached the resident's record");
        var monitor = hub.Get<ResidentMonitor>();
        await monitor.EvaluateAsync(CancellationToken.None);
        Assert.Contains(residentId, monitor.FollowedResidents);

        await claimHost.StopAsync();
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp dir is harmless.
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Over_tls_a_claimed_kit_collects_the_hub_ca_and_its_own_certificate_and_connects_with_them()
    {
        var hubDir = Directory.CreateTempSubdirectory("hs-e2e-tls-hub-").FullName;
        await using var hub = await TestHub.StartAsync(new Dictionary<string, string?>
        {
            ["Tls:Enabled"] = "true",
            ["Tls:Directory"] = Path.Combine(hubDir, "tls"),
            ["Provisioning:PollInterval"] = "00:00:01",
            ["Provisioning:MinPollInterval"] = "00:00:00",
        });
        var residentId = await hub.CreateResidentAsync("Meneer Bakker");
        await TestHub.EnsureSuccessAsync(await hub.Http.PutAsJsonAsync($"/api/residents/{residentId}/consent",
            new { monitoring = true, shareWithNurse = false, belronde = true, recordedBy = "installateur Piet" }));
        var dataDir = Directory.CreateTempSubdirectory("hs-e2e-tls-kit-").FullName;
        var settings = TestKits.Settings("unused", dataDir);
        settings.Remove("Kit:KitId");
        settings.Remove("Mqtt:Username");
        settings.Remove("Mqtt:Password");
        settings["Provisioning:HubUrl"] = hub.Http.BaseAddress!.ToString();
        using var claimHost = await TestKits.StartAsync(settings);
        var claimer = claimHost.Services.GetRequiredService<Claimer>();
        await Eventually.TrueAsync(() => claimer.CurrentCode is not null, "the kit made a claim code");
        await Eventually.TrueAsync(async () => (await hub.Http.GetAsync($"/api/claims/{claimer.CurrentCode}")).StatusCode == HttpStatusCode.OK, "the hub saw the kit's code");

        var enrolled = await hub.Http.PostAsJsonAsync("/api/enrolments", new { claimCode = claimer.CurrentCode, residentId, enrolledBy = "installateur Piet" });
        await TestHub.EnsureSuccessAsync(enrolled);
        var kitId = (await enrolled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kitId").GetString()!;
        using var kit = await claimHost.Services.GetRequiredService<KitLauncher>().Started.WaitAsync(TimeSpan.FromSeconds(60));

        foreach (var file in new[] { "ca.crt", "kit.crt", "kit.key", EnrolmentFile.FileName })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir, file)));
        }

        await Eventually.TrueAsync(async () => (await Kit(hub, kitId)).GetProperty("status").GetString() == "online", "the kit is online over TLS");
        kit.Injector().SetMotion("motion-living", true);
        await Eventually.TrueAsync(async () => (await hub.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{kitId}/events")).EnumerateArray()
            .Any(e => e.GetProperty("sensorId").GetString() == "motion-living"), "the kit's event arrived over TLS");

        await claimHost.StopAsync();
        foreach (var dir in new[] { dataDir, hubDir })
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp dir is harmless.
            }
        }
    }

    private static async Task<JsonElement> Kit(TestHub hub, string kitId) =>
        await hub.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{kitId}");

    private static async Task<JsonElement> StepAsync(TestHub hub, string kitId, string sensorId)
    {
        var walkTest = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{kitId}/walktest");
        return walkTest.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("sensorId").GetString() == sensorId);
    }

    /// <summary>Does something at the kit and waits until the hub's walk test counted the step's nth event.</summary>
    private static async Task ActAsync(TestHub hub, string kitId, string sensorId, int events, Action act)
    {
        act();
        await Eventually.TrueAsync(async () => (await StepAsync(hub, kitId, sensorId)).GetProperty("events").GetInt32() >= events,
            $"the walk test counted event {events} of {sensorId}");
    }
}
