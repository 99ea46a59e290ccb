using System.Net;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Outreach;
using HomeSignal.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HomeSignal.Dashboard.Tests.Access;

public class DashboardHttpTests
{
    [Fact]
    public async Task A_volunteer_records_an_outcome_from_the_list_with_one_post_and_it_is_audited()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        using var anna = await host.SignInAsync("anna");
        var call = host.Tasks.FindActive(HubSeed.Jansen, TaskKinds.BelrondeCall)!;

        using var response = await DashboardHost.PostFormAsync(anna, "/Belronde", $"/Taak/{call.Id}?handler=Uitkomst",
            new() { ["outcome"] = Outcomes.AllesGoed, ["returnUrl"] = "/Belronde" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Belronde", response.Headers.Location!.OriginalString);
        Assert.Equal(Outcomes.AllesGoed, host.Tasks.Get(call.Id)!.Outcome);
        var audit = host.App.Services.GetRequiredService<AuditLog>();
        Assert.Contains(audit.Recent(), e => e.Actor == "anna" && e.Action == "uitkomst vastgelegd" && e.ResidentId == HubSeed.Jansen);
        Assert.Contains(audit.Recent(), e => e.Actor == "anna" && e.Action == "belronde bekeken" && e.ResidentId == HubSeed.Jansen);
    }

    [Fact]
    public async Task A_coordinator_enters_a_holiday_and_consent_which_reach_the_hub_and_the_audit()
    {
        await using var host = await DashboardHost.StartAsync();
        using var carla = await host.SignInAsync("carla");
        var page = $"/Bewoner/{HubSeed.Jansen}";

        using var holiday = await DashboardHost.PostFormAsync(carla, page, $"{page}?handler=Context",
            new() { ["kind"] = "holiday", ["from"] = "2026-04-01", ["to"] = "2026-04-14", ["note"] = "Met de bus naar Lourdes" });
        using var consent = await DashboardHost.PostFormAsync(carla, page, $"{page}?handler=Toestemming",
            new() { ["monitoring"] = "true", ["belronde"] = "true" });
        using var badDates = await DashboardHost.PostFormAsync(carla, page, $"{page}?handler=Context",
            new() { ["kind"] = "holiday", ["from"] = "2026-04-14", ["to"] = "2026-04-01" });

        Assert.Equal(HttpStatusCode.Redirect, holiday.StatusCode);
        var entered = Assert.Single(host.Hub.Context[HubSeed.Jansen]);
        Assert.Equal("Met de bus naar Lourdes", (string?)entered["note"]);
        Assert.False((bool)host.Hub.Consents[HubSeed.Jansen]["shareWithNurse"]!);
        Assert.Equal("carla", (string?)host.Hub.Consents[HubSeed.Jansen]["recordedBy"]);
        Assert.Single(host.Hub.Context[HubSeed.Jansen]); // the bad period was refused
        var shown = await carla.GetStringAsync(page);
        Assert.Contains("Met de bus naar Lourdes", shown, StringComparison.Ordinal);
        var audit = host.App.Services.GetRequiredService<AuditLog>().Recent();
        Assert.Contains(audit, e => e.Action == "kalender aangevuld" && e.ResidentId == HubSeed.Jansen);
        Assert.Contains(audit, e => e.Action == "toestemming vastgelegd" && e.ResidentId == HubSeed.Jansen);
    }

    [Fact]
    public async Task Resident_charts_come_as_an_eight_week_actogram_and_weekly_trends_with_a_normal_band()
    {
        await using var host = await DashboardHost.StartAsync();
        using var carla = await host.SignInAsync("carla");

        using var response = await carla.GetAsync($"/Bewoner/{HubSeed.Smit}?handler=Grafieken");
        var json = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(56, json["actogram"]!["days"]!.AsArray().Count);
        Assert.True(json["actogram"]!["cells"]!.AsArray().Count > 500);
        var outings = json["weekly"]!.AsArray().First(w => (string?)w!["metric"] == "outings")!;
        Assert.Equal(8, outings["values"]!.AsArray().Count);
        Assert.True((double)outings["low"]! <= (double)outings["high"]!);
    }

    [Fact]
    public async Task The_chart_library_and_styles_are_served_from_embedded_files()
    {
        await using var host = await DashboardHost.StartAsync();
        using var anonymous = host.Client();

        var chart = await anonymous.GetStringAsync("/lib/chartjs/chart.umd.min.js");
        var css = await anonymous.GetStringAsync("/css/site.css");

        Assert.Contains("Chart.js v4", chart, StringComparison.Ordinal);
        Assert.Contains(".skip", css, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_meldingen_list_handler_returns_the_current_meldingen_for_polling()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        using var dirk = await host.SignInAsync("dirk");
        Assert.DoesNotContain("Lang geen beweging", await dirk.GetStringAsync("/Meldingen?handler=Lijst"), StringComparison.Ordinal);

        HubSeed.MorningSignals(host.Hub);
        await host.Planner.RunOnceAsync();

        var list = await dirk.GetStringAsync("/Meldingen?handler=Lijst");
        await dirk.GetStringAsync("/Meldingen?handler=Lijst");
        Assert.Contains("Lang geen beweging", list, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", list, StringComparison.Ordinal);
        // Polling is audited once per user and melding, not every ten seconds.
        Assert.Single(host.App.Services.GetRequiredService<AuditLog>().Recent(residentId: HubSeed.Bakker), e => e.Actor == "dirk");
    }

    [Fact]
    public async Task When_the_hub_is_down_pages_say_so_in_dutch_instead_of_failing()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        using var carla = await host.SignInAsync("carla");
        using var dirk = await host.SignInAsync("dirk");
        host.Hub.Up = false;

        using var resident = await carla.GetAsync($"/Bewoner/{HubSeed.Jansen}");
        var kits = await carla.GetStringAsync("/Kits");
        var meldingen = await dirk.GetStringAsync("/Meldingen");

        Assert.Equal(HttpStatusCode.InternalServerError, resident.StatusCode);
        Assert.Contains("Hub niet bereikbaar", await resident.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("De hub is nu niet bereikbaar", kits, StringComparison.Ordinal);
        // The melding itself is the dashboard's own data and stays visible, with the resident's id instead of the name.
        Assert.Contains("Lang geen beweging", meldingen, StringComparison.Ordinal);
        Assert.Contains("De hub is nu niet bereikbaar", meldingen, StringComparison.Ordinal);
    }
}

