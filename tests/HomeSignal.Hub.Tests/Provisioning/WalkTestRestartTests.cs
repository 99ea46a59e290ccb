using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Tests.Support;

namespace HomeSignal.Hub.Tests.Provisioning;

/// <summary>A walk test continues across a hub restart: a second hub built on the same data files.</summary>
public sealed class WalkTestRestartTests
{
    private static readonly Dictionary<string, string?> Settings = new() { ["Provisioning:MinPollInterval"] = "00:00:00" };

    [Fact]
    public async Task A_restarted_hub_continues_the_same_walk_test_and_the_kit_goes_live_only_once_it_passed()
    {
        var dir = Directory.CreateTempSubdirectory("hs-walk-restart-").FullName;
        string kitId;
        JsonElement before;
        var at = DateTimeOffset.UtcNow;
        await using (var first = await TestHub.StartAsync(Settings, directory: dir, deleteOnDispose: false))
        {
            using var installer = new Installer(first);
            kitId = await installer.EnrolledKitAsync(await installer.ConsentedResidentAsync());
            await TestHub.EnsureSuccessAsync(await first.Http.PostAsync($"/api/kits/{kitId}/walktest", null));
            await installer.SendAsync(kitId, "door-front", SensorKind.Door, SensorStates.Open, at);
            await installer.SendAsync(kitId, "door-front", SensorKind.Door, SensorStates.Closed, at.AddSeconds(3));
            await installer.SendAsync(kitId, "motion-living", SensorKind.Motion, SensorStates.Active, at.AddSeconds(10));
            before = await first.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{kitId}/walktest");
            Assert.Equal("mailbox-flap", before.GetProperty("currentSensorId").GetString());
        }

        await using (var second = await TestHub.StartAsync(Settings, directory: dir, deleteOnDispose: false))
        {
            using var installer = new Installer(second);
            var after = await second.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{kitId}/walktest");
            Assert.Equal(before.GetProperty("startedAt").GetDateTimeOffset(), after.GetProperty("startedAt").GetDateTimeOffset());
            Assert.Equal("mailbox-flap", after.GetProperty("currentSensorId").GetString());
            Assert.Equal(["passed", "passed", "current", "waiting", "waiting"], after.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("status").GetString()));
            Assert.Equal(2, after.GetProperty("steps")[0].GetProperty("events").GetInt32());

            var halfway = await second.Http.PostAsJsonAsync($"/api/kits/{kitId}/golive", new { by = "installateur Piet" });
            Assert.Equal(HttpStatusCode.Conflict, halfway.StatusCode);
            Assert.Equal("walktest-incomplete", await Installer.CodeOf(halfway));

            await installer.SendAsync(kitId, "mailbox-flap", SensorKind.MailboxFlap, SensorStates.Open, at.AddSeconds(20));
            await installer.SendAsync(kitId, "mailbox-flap", SensorKind.MailboxFlap, SensorStates.Closed, at.AddSeconds(21));
            await installer.SendAsync(kitId, "mailbox-door", SensorKind.MailboxDoor, SensorStates.Open, at.AddSeconds(30));
            await installer.SendAsync(kitId, "mailbox-door", SensorKind.MailboxDoor, SensorStates.Closed, at.AddSeconds(33));
            Assert.True((await second.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{kitId}/walktest")).GetProperty("passed").GetBoolean());
            Assert.Equal(HttpStatusCode.NoContent, (await second.Http.PostAsJsonAsync($"/api/kits/{kitId}/golive", new { by = "installateur Piet" })).StatusCode);
        }

        // Going live ends the walk test for good: a third start finds none.
        await using var third = await TestHub.StartAsync(Settings, directory: dir);
        Assert.Equal(HttpStatusCode.NotFound, (await third.Http.GetAsync($"/api/kits/{kitId}/walktest")).StatusCode);
        Assert.Equal("live", (await third.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{kitId}")).GetProperty("stage").GetString());
    }
}
