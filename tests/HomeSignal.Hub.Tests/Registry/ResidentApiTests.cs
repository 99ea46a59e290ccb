using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Signals;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Tests.Support;

namespace HomeSignal.Hub.Tests.Registry;

public sealed class ResidentApiTests
{
    [Fact]
    public async Task A_resident_gets_consent_context_labels_and_a_bound_kit_and_personal_details_stay_out_of_the_event_file()
    {
        await using var hub = await TestHub.StartAsync();
        var residentId = await hub.CreateResidentAsync("Mevrouw Jansen");
        var credentials = await hub.CreateKitAsync("kit-res", residentId);

        var consent = await hub.Http.PutAsJsonAsync($"/api/residents/{residentId}/consent", new { monitoring = true, shareWithNurse = false, belronde = true, recordedBy = "sociaal werker Anna" });
        Assert.Equal(HttpStatusCode.NoContent, consent.StatusCode);
        var stored = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId}/consent");
        Assert.True(stored.GetProperty("monitoring").GetBoolean());
        Assert.False(stored.GetProperty("shareWithNurse").GetBoolean());
        Assert.Equal("sociaal werker Anna", stored.GetProperty("recordedBy").GetString());

        var resident = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId}");
        Assert.Equal("Mevrouw Jansen", resident.GetProperty("displayName").GetString());
        Assert.Equal(["kit-res"], resident.GetProperty("kitIds").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(1, resident.GetProperty("learningDay").GetInt32());
        Assert.Equal(14, resident.GetProperty("learningDays").GetInt32()); // detection's learning period, not a second setting

        var context = await hub.Http.PostAsJsonAsync($"/api/residents/{residentId}/context", new { kind = "holiday", from = "2026-07-01T00:00:00Z", to = "2026-07-14T00:00:00Z", note = "bij dochter" });
        Assert.Equal(HttpStatusCode.Created, context.StatusCode);
        var periods = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId}/context");
        var period = Assert.Single(periods.EnumerateArray());
        Assert.Equal("holiday", period.GetProperty("kind").GetString());
        Assert.False(period.GetProperty("inferred").GetBoolean());
        var badContext = await hub.Http.PostAsJsonAsync($"/api/residents/{residentId}/context", new { kind = "party", from = "2026-07-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.BadRequest, badContext.StatusCode);

        var label = await hub.Http.PostAsJsonAsync($"/api/residents/{residentId}/labels", new { signalId = "s-1", outcome = "explained-visit", recordedBy = "vrijwilliger Piet" });
        Assert.Equal(HttpStatusCode.NoContent, label.StatusCode);
        var badLabel = await hub.Http.PostAsJsonAsync($"/api/residents/{residentId}/labels", new { signalId = "s-1", outcome = "maybe", recordedBy = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, badLabel.StatusCode);
        Assert.Single(await hub.Get<HomeSignal.Hub.Registry.ResidentRegistry>().LabelsAsync(residentId, CancellationToken.None));

        await using var kit = new SimulatedKit("kit-res");
        await kit.ConnectAsync(hub.MqttPort, credentials.Username, credentials.Password);
        await kit.PublishAsync(kit.Event(1));
        await Eventually.TrueAsync(() => kit.HasStoredAck([1]), "the event is stored");
        var events = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId}/events");
        Assert.Single(events.EnumerateArray());

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var eventFile = await File.ReadAllBytesAsync(hub.Store.Path);
        Assert.DoesNotContain("Jansen", Encoding.UTF8.GetString(eventFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_label_version_grows_with_each_label_and_not_with_a_refused_one_so_detection_reloads_labels_only_then()
    {
        await using var hub = await TestHub.StartAsync();
        var residentId = await hub.CreateResidentAsync("Meneer Kuipers");
        var registry = hub.Get<HomeSignal.Hub.Registry.ResidentRegistry>();
        var before = registry.LabelsVersion;

        var refused = await hub.Http.PostAsJsonAsync($"/api/residents/{residentId}/labels", new { signalId = "s-1", outcome = "maybe", recordedBy = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(before, registry.LabelsVersion);

        var added = await hub.Http.PostAsJsonAsync($"/api/residents/{residentId}/labels", new { signalId = "s-1", outcome = "not-relevant", recordedBy = "vrijwilliger Piet" });
        Assert.Equal(HttpStatusCode.NoContent, added.StatusCode);
        Assert.Equal(before + 1, registry.LabelsVersion);
    }

    [Fact]
    public async Task The_context_version_grows_with_each_period_and_not_with_a_refused_one_so_detection_rereads_context_only_then()
    {
        await using var hub = await TestHub.StartAsync();
        var residentId = await hub.CreateResidentAsync("Mevrouw Lont");
        var registry = hub.Get<HomeSignal.Hub.Registry.ResidentRegistry>();
        var before = registry.ContextVersion;

        var refused = await hub.Http.PostAsJsonAsync($"/api/residents/{residentId}/context", new { kind = "party", from = "2026-07-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(before, registry.ContextVersion);

        var added = await hub.Http.PostAsJsonAsync($"/api/residents/{residentId}/context", new { kind = "holiday", from = "2026-07-01T00:00:00Z", to = "2026-07-14T00:00:00Z" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(before + 1, registry.ContextVersion);
    }

    [Fact]
    public async Task Signals_are_served_since_a_time_and_per_resident()
    {
        await using var hub = await TestHub.StartAsync();
        var residentId = await hub.CreateResidentAsync();
        var at = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        await hub.Get<SignalStore>().UpsertAsync(new Signal
        {
            SignalId = "sig-1",
            ResidentId = residentId,
            Kind = "not-up",
            Severity = "today",
            Layer = "acute",
            RaisedAt = at,
            UpdatedAt = at,
            Title = "Nog niet op",
            Reason = "Om 10:30 is er nog geen beweging gezien; meestal is dat rond 8:00.",
            Question = "Wilt u even bellen?",
            Sensors = ["motion-living"],
        }, CancellationToken.None);

        var since = await hub.Http.GetFromJsonAsync<JsonElement>("/api/signals?since=2026-03-02T00:00:00Z");
        var signal = Assert.Single(since.EnumerateArray());
        Assert.Equal("sig-1", signal.GetProperty("signalId").GetString());
        Assert.Equal("acute", signal.GetProperty("layer").GetString());
        Assert.Empty((await hub.Http.GetFromJsonAsync<JsonElement>("/api/signals?since=2026-03-03T00:00:00Z")).EnumerateArray());
        Assert.Single((await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId}/signals")).EnumerateArray());
    }

    [Fact]
    public async Task Deleting_a_resident_removes_their_events_aggregates_and_details_and_revokes_their_kit()
    {
        await using var hub = await TestHub.StartAsync();
        var residentId = await hub.CreateResidentAsync();
        await hub.CreateKitAsync("kit-gone", residentId);
        var boot = Guid.NewGuid().ToString("N");
        var start = DateTimeOffset.UtcNow.AddDays(-3);
        var history = Enumerable.Range(0, 50).Select(i => new SensorEvent
        {
            KitId = "kit-gone",
            BootId = boot,
            Seq = i,
            SensorId = "motion-living",
            Kind = SensorKind.Motion,
            State = SensorStates.Active,
            Ts = start.AddMinutes(30 * i),
            ClockSynced = true,
        });
        Assert.Equal(50, await hub.Get<EventBackfill>().BackfillAsync(history, CancellationToken.None));
        var days = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId}/aggregates?granularity=day");
        Assert.Equal(50, days.EnumerateArray().Sum(d => d.GetProperty("motion").GetInt32()));

        await hub.Get<SignalStore>().UpsertAsync(new Signal
        {
            SignalId = "sig-of-gone",
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
        var consent = new { monitoring = true, shareWithNurse = false, belronde = true, recordedBy = "coordinator" };
        await TestHub.EnsureSuccessAsync(await hub.Http.PutAsJsonAsync($"/api/residents/{residentId}/consent", consent));
        Assert.Equal(HttpStatusCode.Conflict, (await hub.Http.DeleteAsync($"/api/residents/{residentId}")).StatusCode); // consent first withdrawn
        await TestHub.EnsureSuccessAsync(await hub.Http.PutAsJsonAsync($"/api/residents/{residentId}/consent", consent with { monitoring = false, belronde = false }));

        Assert.Equal(HttpStatusCode.NoContent, (await hub.Http.DeleteAsync($"/api/residents/{residentId}")).StatusCode);

        Assert.Equal(0, await hub.Store.CountEventsAsync(CancellationToken.None));
        Assert.Null(await hub.Get<SignalStore>().FindAsync("sig-of-gone", CancellationToken.None));
        Assert.Equal(0, Provisioning.KitStageTests.RegistryRows(hub, residentId));
        Assert.Empty(await hub.Store.QueryAggregatesAsync(residentId, AggregateGranularity.Day, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync($"/api/residents/{residentId}")).StatusCode);
        var kit = await hub.Http.GetFromJsonAsync<JsonElement>("/api/kits/kit-gone");
        Assert.Equal("revoked", kit.GetProperty("status").GetString());
        Assert.False(kit.TryGetProperty("residentId", out _));
    }
}
