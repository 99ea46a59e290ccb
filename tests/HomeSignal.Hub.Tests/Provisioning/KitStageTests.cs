using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Detection;
using HomeSignal.Hub.Signals;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Tests.Support;

namespace HomeSignal.Hub.Tests.Provisioning;

/// <summary>Installing → live → revoked: what each stage allows, replacement, and decommissioning.</summary>
public sealed class KitStageTests
{
    [Fact]
    public async Task Go_live_is_refused_before_the_walk_test_passed_and_without_consent_then_starts_monitoring()
    {
        await using var hub = await Installer.StartHubAsync();
        using var installer = new Installer(hub);
        var residentId = await installer.ConsentedResidentAsync();
        var kitId = await installer.EnrolledKitAsync(residentId);

        var noWalkTest = await hub.Http.PostAsJsonAsync($"/api/kits/{kitId}/golive", new { by = "installateur Piet" });
        Assert.Equal(HttpStatusCode.Conflict, noWalkTest.StatusCode);
        Assert.Equal("walktest-incomplete", await Installer.CodeOf(noWalkTest));
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync($"/api/kits/{kitId}/walktest")).StatusCode);

        await TestHub.EnsureSuccessAsync(await hub.Http.PostAsync($"/api/kits/{kitId}/walktest", null));
        await installer.SendAsync(kitId, "door-front", SensorKind.Door, SensorStates.Open, DateTimeOffset.UtcNow);
        var halfway = await hub.Http.PostAsJsonAsync($"/api/kits/{kitId}/golive", new { by = "installateur Piet" });
        Assert.Equal("walktest-incomplete", await Installer.CodeOf(halfway));

        await installer.WalkAsync(kitId, DateTimeOffset.UtcNow);
        var walkTest = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{kitId}/walktest");
        Assert.True(walkTest.GetProperty("passed").GetBoolean(), walkTest.ToString());

        await installer.ConsentAsync(residentId, monitoring: false);
        var noConsent = await hub.Http.PostAsJsonAsync($"/api/kits/{kitId}/golive", new { by = "installateur Piet" });
        Assert.Equal(HttpStatusCode.Conflict, noConsent.StatusCode);
        Assert.Equal("consent-missing", await Installer.CodeOf(noConsent));
        var resident = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId}");
        Assert.False(resident.TryGetProperty("monitoringSince", out _), "monitoring must not start before go-live");

        await installer.ConsentAsync(residentId, monitoring: true);
        resident = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId}");
        Assert.False(resident.TryGetProperty("monitoringSince", out _), "consent alone does not start monitoring of an installing kit");
        Assert.Equal(HttpStatusCode.NoContent, (await hub.Http.PostAsJsonAsync($"/api/kits/{kitId}/golive", new { by = "installateur Piet" })).StatusCode);

        var kit = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{kitId}");
        Assert.Equal("live", kit.GetProperty("stage").GetString());
        resident = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId}");
        Assert.Equal(kit.GetProperty("liveSince").GetDateTimeOffset(), resident.GetProperty("monitoringSince").GetDateTimeOffset());
        Assert.Equal(1, resident.GetProperty("learningDay").GetInt32());
        var twice = await hub.Http.PostAsJsonAsync($"/api/kits/{kitId}/golive", new { by = "installateur Piet" });
        Assert.Equal("kit-not-installing", await Installer.CodeOf(twice));
    }

    [Fact]
    public async Task Detection_does_not_follow_a_resident_whose_only_kit_is_installing()
    {
        await using var hub = await Installer.StartHubAsync();
        using var installer = new Installer(hub);
        var residentId = await installer.ConsentedResidentAsync();
        var kitId = await installer.EnrolledKitAsync(residentId);
        await installer.SendAsync(kitId, "motion-living", SensorKind.Motion, SensorStates.Active, DateTimeOffset.UtcNow);
        var monitor = hub.Get<ResidentMonitor>();

        await monitor.EvaluateAsync(CancellationToken.None);
        Assert.DoesNotContain(residentId, monitor.FollowedResidents);
        Assert.Equal(1, await hub.Store.CountEventsAsync(CancellationToken.None)); // stored all the same

        await TestHub.EnsureSuccessAsync(await hub.Http.PostAsync($"/api/kits/{kitId}/walktest", null));
        await installer.WalkAsync(kitId, DateTimeOffset.UtcNow);
        await TestHub.EnsureSuccessAsync(await hub.Http.PostAsJsonAsync($"/api/kits/{kitId}/golive", new { by = "installateur Piet" }));
        await monitor.EvaluateAsync(CancellationToken.None);
        Assert.Contains(residentId, monitor.FollowedResidents);
    }

    [Fact]
    public async Task Replacing_a_kit_revokes_it_and_keeps_the_residents_history_for_detection_and_the_api()
    {
        await using var hub = await Installer.StartHubAsync();
        using var installer = new Installer(hub);
        var residentId = await installer.ConsentedResidentAsync();
        var old = await hub.CreateKitAsync("kit-old", residentId); // installed before provisioning: live at once
        var start = DateTimeOffset.UtcNow.AddDays(-2);
        for (var i = 0; i < 10; i++)
        {
            await installer.SendAsync(old.KitId, "motion-living", SensorKind.Motion, SensorStates.Active, start.AddHours(i));
        }

        var since = (await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId}")).GetProperty("monitoringSince").GetDateTimeOffset();
        var (code, _) = await installer.NewClaimAsync();
        var replaced = await hub.Http.PostAsJsonAsync($"/api/kits/{old.KitId}/replace", new { claimCode = code, by = "installateur Piet" });
        Assert.Equal(HttpStatusCode.Created, replaced.StatusCode);
        var newKit = (await replaced.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kitId").GetString()!;

        Assert.Equal("revoked", (await hub.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{old.KitId}")).GetProperty("stage").GetString());
        Assert.Equal("installing", (await hub.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{newKit}")).GetProperty("stage").GetString());
        Assert.Null(hub.Get<Hub.Registry.KitRegistry>().Authenticate(old.Username, old.Password));
        var events = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId}/events");
        Assert.Equal(10, events.GetArrayLength());

        await TestHub.EnsureSuccessAsync(await hub.Http.PostAsync($"/api/kits/{newKit}/walktest", null));
        await installer.WalkAsync(newKit, DateTimeOffset.UtcNow);
        await TestHub.EnsureSuccessAsync(await hub.Http.PostAsJsonAsync($"/api/kits/{newKit}/golive", new { by = "installateur Piet" }));
        var resident = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId}");
        Assert.Equal(since, resident.GetProperty("monitoringSince").GetDateTimeOffset()); // learning continues from the first kit
        Assert.Equal(17, (await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId}/events")).GetArrayLength());

        // Detection follows the resident on the new kit and replays the revoked kit's history too.
        var monitor = hub.Get<ResidentMonitor>();
        await monitor.EvaluateAsync(CancellationToken.None);
        Assert.Contains(residentId, monitor.FollowedResidents);
        var history = await hub.Store.QueryEventsAsync(new EventQuery { KitIds = [old.KitId], Limit = 100 }, CancellationToken.None);
        Assert.Equal(10, history.Count);
    }

    [Fact]
    public async Task Deleting_a_resident_needs_consent_withdrawn_first()
    {
        await using var hub = await Installer.StartHubAsync();
        using var installer = new Installer(hub);
        var residentId = await installer.ConsentedResidentAsync();

        var refused = await hub.Http.DeleteAsync($"/api/residents/{residentId}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("consent-not-withdrawn", await Installer.CodeOf(refused));
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.GetAsync($"/api/residents/{residentId}")).StatusCode);

        await installer.ConsentAsync(residentId, monitoring: false);
        Assert.Equal(HttpStatusCode.NoContent, (await hub.Http.DeleteAsync($"/api/residents/{residentId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.DeleteAsync($"/api/residents/{residentId}")).StatusCode);
    }

    [Fact]
    public async Task Decommissioning_deletes_the_resident_from_events_aggregates_signals_registry_and_claims()
    {
        await using var hub = await Installer.StartHubAsync();
        using var installer = new Installer(hub);
        var residentId = await installer.ConsentedResidentAsync();
        var kitId = await installer.EnrolledKitAsync(residentId);
        var other = await installer.ConsentedResidentAsync();
        var otherKit = await hub.CreateKitAsync("kit-other", other);
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        await installer.WalkAsync(kitId, start);
        await installer.SendAsync(otherKit.KitId, "motion-living", SensorKind.Motion, SensorStates.Active, start);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await hub.Get<Hub.Aggregation.AggregationService>().RecomputeAsync(residentId, today.AddDays(-3), today.AddDays(1), CancellationToken.None);
        Assert.NotEmpty(await hub.Store.QueryAggregatesAsync(residentId, AggregateGranularity.Day, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, CancellationToken.None));
        await hub.Get<SignalStore>().UpsertAsync(new Signal
        {
            SignalId = "sig-gone",
            ResidentId = residentId,
            Kind = "not-up",
            Severity = "today",
            Layer = "acute",
            RaisedAt = start,
            UpdatedAt = start,
            Title = "Nog niet op",
            Reason = "Nog geen beweging.",
            Question = "Wilt u even bellen?",
        }, CancellationToken.None);
        await installer.ConsentAsync(residentId, monitoring: false);

        Assert.Equal(HttpStatusCode.NoContent, (await hub.Http.DeleteAsync($"/api/residents/{residentId}")).StatusCode);

        Assert.Empty(await hub.Store.QueryEventsAsync(new EventQuery { KitIds = [kitId], Limit = 100, IncludeQuarantined = true }, CancellationToken.None));
        Assert.Empty(await hub.Store.QueryAggregatesAsync(residentId, AggregateGranularity.Day, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, CancellationToken.None));
        Assert.Empty(await hub.Store.QueryAggregatesAsync(residentId, AggregateGranularity.Hour, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, CancellationToken.None));
        Assert.Null(await hub.Get<SignalStore>().FindAsync("sig-gone", CancellationToken.None));
        Assert.Empty(await hub.Get<Hub.Provisioning.ClaimStore>().OfResidentAsync(residentId, CancellationToken.None));
        Assert.Null(await hub.Get<Hub.Provisioning.ClaimStore>().OfKitAsync(kitId, CancellationToken.None));
        Assert.Equal(0, RegistryRows(hub, residentId));
        var kit = hub.Get<Hub.Registry.KitRegistry>().Find(kitId)!;
        Assert.True(kit.IsRevoked);
        Assert.Null(kit.ResidentId);

        // The other resident keeps everything.
        Assert.Single(await hub.Store.QueryEventsAsync(new EventQuery { KitIds = [otherKit.KitId], Limit = 100 }, CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.GetAsync($"/api/residents/{other}")).StatusCode);
    }

    /// <summary>Rows naming the resident in any registry table, read straight from the file.</summary>
    internal static long RegistryRows(TestHub hub, string residentId)
    {
        using var connection = hub.Get<Hub.Registry.RegistryDatabase>().Database.Open();
        long total = 0;
        foreach (var table in new[] { "residents", "consent", "kits", "labels", "context_periods", "signals", "claims" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE resident_id=$r;";
            command.Parameters.AddWithValue("$r", residentId);
            total += (long)command.ExecuteScalar()!;
        }

        return total;
    }
}
