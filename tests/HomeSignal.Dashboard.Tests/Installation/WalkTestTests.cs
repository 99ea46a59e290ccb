using System.Net;
using System.Text.Json;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HomeSignal.Dashboard.Tests.Installation;

public class WalkTestTests
{
    private static async Task<JsonElement> StandAsync(HttpClient client, string kitId)
    {
        using var response = await client.GetAsync($"/Installatie/Looptest/{kitId}?handler=Stand");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
    }

    private static JsonElement Step(JsonElement stand, string sensorId) =>
        stand.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("sensorId").GetString() == sensorId);

    [Fact]
    public async Task The_walk_test_ticks_sensors_off_explains_an_inverted_contact_and_goes_live_only_after_it_passed()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        using var frank = await host.SignInAsync("frank");
        var kitId = await Enrolment.EnrolAsync(host, frank, "ABCD-EFGH-JK");
        await Enrolment.StartWalkTestAsync(host, frank, kitId);
        var page = $"/Installatie/Looptest/{kitId}";

        var first = await StandAsync(frank, kitId);
        Assert.Equal("current", Step(first, "door-front").GetProperty("status").GetString());
        Assert.Equal("nu doen", Step(first, "door-front").GetProperty("statusText").GetString());
        Assert.False(first.GetProperty("mayGoLive").GetBoolean());

        host.Hub.SetStep(kitId, "door-front", "failed", "inverted");
        var inverted = await StandAsync(frank, kitId);
        Assert.Equal("omgekeerd aangesloten", Step(inverted, "door-front").GetProperty("problemText").GetString());
        Assert.Contains("instelling 'Contact' staan omgekeerd", Step(inverted, "door-front").GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.True(Step(inverted, "door-front").GetProperty("mayRetry").GetBoolean());
        // The page says the same on a reload, without script.
        var reloaded = await frank.GetStringAsync(page);
        Assert.Contains("niet gelukt", reloaded, StringComparison.Ordinal);
        Assert.Contains("omgekeerd aangesloten", reloaded, StringComparison.Ordinal);

        using var tooEarly = await DashboardHost.PostFormAsync(frank, page, $"{page}?handler=LiveZetten", []);
        Assert.Equal("installing", (string?)host.Hub.FindKit(kitId)!["stage"]);
        Assert.Contains("Live zetten kan pas als de looptest voor alle sensoren is geslaagd", await frank.GetStringAsync(page), StringComparison.Ordinal);

        using var retry = await DashboardHost.PostFormAsync(frank, page, $"{page}?handler=Opnieuw", new() { ["sensorId"] = "door-front" });
        Assert.Equal("current", Step(await StandAsync(frank, kitId), "door-front").GetProperty("status").GetString());
        host.Hub.SetStep(kitId, "door-front", "passed");
        host.Hub.SetStep(kitId, "motion-living", "passed");
        var almost = await StandAsync(frank, kitId);
        Assert.Equal("gelukt", Step(almost, "motion-living").GetProperty("statusText").GetString());
        Assert.Equal("current", Step(almost, "mailbox-flap").GetProperty("status").GetString());
        Assert.False(almost.GetProperty("mayGoLive").GetBoolean());
        host.Hub.SetStep(kitId, "mailbox-flap", "passed");
        var passed = await StandAsync(frank, kitId);
        Assert.True(passed.GetProperty("passed").GetBoolean()); // the "alles goed" button is optional
        Assert.True(passed.GetProperty("mayGoLive").GetBoolean());

        using var live = await DashboardHost.PostFormAsync(frank, page, $"{page}?handler=LiveZetten", []);
        Assert.Equal(HttpStatusCode.Redirect, live.StatusCode);
        Assert.Equal("live", (string?)host.Hub.FindKit(kitId)!["stage"]);
        var after = await frank.GetStringAsync(page);
        Assert.Contains("leren: dag 1 van 14", after, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"live-zetten\"", after, StringComparison.Ordinal);
        var audit = host.App.Services.GetRequiredService<AuditLog>().Recent();
        Assert.Contains(audit, e => e.Actor == "frank" && e.Action == "looptest stap opnieuw" && e.Detail.Contains("door-front", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Actor == "frank" && e.Action == "live zetten geweigerd");
        Assert.Contains(audit, e => e.Actor == "frank" && e.Action == "kit live gezet");
        Assert.Single(audit, e => e.Action == "looptest gevolgd"); // polls are audited once
    }

    [Fact]
    public async Task A_go_live_the_hub_refuses_is_shown_in_words()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        using var frank = await host.SignInAsync("frank");
        var kitId = await Enrolment.EnrolAsync(host, frank, "ABCD-EFGH-JK");
        await Enrolment.StartWalkTestAsync(host, frank, kitId);
        var page = $"/Installatie/Looptest/{kitId}";
        foreach (var sensor in new[] { "door-front", "motion-living", "mailbox-flap" })
        {
            host.Hub.SetStep(kitId, sensor, "passed");
        }

        host.Hub.GoLiveRefusal = "walktest-incomplete";
        using var refused = await DashboardHost.PostFormAsync(frank, page, $"{page}?handler=LiveZetten", []);

        Assert.Equal("installing", (string?)host.Hub.FindKit(kitId)!["stage"]);
        Assert.Contains("De kit kan nog niet live: de looptest is nog niet voor alle sensoren geslaagd.", await frank.GetStringAsync(page), StringComparison.Ordinal);
        Assert.Contains(host.App.Services.GetRequiredService<AuditLog>().Recent(), e => e.Action == "kit live gezet geweigerd");
    }

    [Fact]
    public async Task A_kit_without_a_walk_test_offers_to_start_one_and_an_unknown_kit_is_not_found()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        using var frank = await host.SignInAsync("frank");
        var kitId = await Enrolment.EnrolAsync(host, frank, "ABCD-EFGH-JK");
        var page = $"/Installatie/Looptest/{kitId}";

        Assert.Contains("Wacht tot de kit verbonden is", await frank.GetStringAsync(page), StringComparison.Ordinal);
        var before = await StandAsync(frank, kitId);
        Assert.False(before.GetProperty("exists").GetBoolean());
        Assert.False(before.GetProperty("connected").GetBoolean());
        await Enrolment.StartWalkTestAsync(host, frank, kitId);
        using var unknown = await frank.GetAsync("/Installatie/Looptest/kit-bestaat-niet");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var noSensor = await DashboardHost.PostFormAsync(frank, page, $"{page}?handler=Opnieuw", []);
        Assert.Contains("Kies de sensor die opnieuw getest moet worden", await frank.GetStringAsync(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replacing_a_kit_keeps_the_resident_revokes_the_old_one_and_refuses_a_used_code()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        using var frank = await host.SignInAsync("frank");
        var oldKit = await Enrolment.EnrolAsync(host, frank, "ABCD-EFGH-JK");
        var residentId = (string)host.Hub.FindKit(oldKit)!["residentId"]!;
        var page = $"/Installatie/Looptest/{oldKit}";
        host.Hub.AddClaim("MNPQ-RSTV-WX");

        using var used = await DashboardHost.PostFormAsync(frank, page, $"{page}?handler=Vervangen", new() { ["code"] = "abcd-efgh-jk" });
        Assert.Contains("Deze code is al gebruikt", await frank.GetStringAsync(page), StringComparison.Ordinal);
        using var replaced = await DashboardHost.PostFormAsync(frank, page, $"{page}?handler=Vervangen", new() { ["code"] = "mnpq-rstv-wx" });

        var newKit = replaced.Headers.Location!.OriginalString["/Installatie/Looptest/".Length..];
        Assert.NotEqual(oldKit, newKit);
        Assert.Equal("revoked", (string?)host.Hub.FindKit(oldKit)!["stage"]);
        Assert.Equal(residentId, (string?)host.Hub.FindKit(newKit)!["residentId"]);
        Assert.Equal("installing", (string?)host.Hub.FindKit(newKit)!["stage"]);
        Assert.Contains(host.App.Services.GetRequiredService<AuditLog>().Recent(),
            e => e.Action == "kit vervangen" && e.ResidentId == residentId && e.Detail.Contains(newKit, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Revoking_needs_a_confirmation_and_is_audited()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        using var frank = await host.SignInAsync("frank");
        var page = "/Installatie/Looptest/kit-7f3a9c";

        using var unconfirmed = await DashboardHost.PostFormAsync(frank, page, $"{page}?handler=Intrekken", []);
        Assert.Equal("online", (string?)host.Hub.FindKit("kit-7f3a9c")!["status"]);
        using var confirmed = await DashboardHost.PostFormAsync(frank, page, $"{page}?handler=Intrekken", new() { ["confirm"] = "true" });

        Assert.Equal("revoked", (string?)host.Hub.FindKit("kit-7f3a9c")!["stage"]);
        Assert.Contains("ingetrokken", await frank.GetStringAsync(page), StringComparison.Ordinal);
        Assert.Contains(host.App.Services.GetRequiredService<AuditLog>().Recent(), e => e.Action == "kit ingetrokken" && e.ResidentId == HubSeed.Jansen);
    }

    [Fact]
    public async Task The_installer_start_page_lists_kits_being_installed_with_their_resident()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        using var frank = await host.SignInAsync("frank");
        var kitId = await Enrolment.EnrolAsync(host, frank, "ABCD-EFGH-JK");

        var start = await frank.GetStringAsync("/Installatie");

        var installing = start[start.IndexOf("id=\"in-installatie\"", StringComparison.Ordinal)..start.IndexOf("Andere kits", StringComparison.Ordinal)];
        Assert.Contains(kitId, installing, StringComparison.Ordinal);
        Assert.Contains("Mevrouw G. de Boer", installing, StringComparison.Ordinal);
        Assert.DoesNotContain("kit-7f3a9c", installing, StringComparison.Ordinal);
        Assert.Contains("kit-7f3a9c", start, StringComparison.Ordinal);
        Assert.DoesNotContain("Nog geen beweging", start, StringComparison.Ordinal);
    }
}
