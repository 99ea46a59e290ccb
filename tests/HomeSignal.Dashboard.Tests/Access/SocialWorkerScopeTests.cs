using System.Net;
using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Outreach;
using HomeSignal.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HomeSignal.Dashboard.Tests.Access;

/// <summary>
/// A sociaal werker sees only the residents they are the vast aanspreekpunt of (carla: all seeded residents but Visser;
/// hanna, a second sociaal werker, gets de Vries), does the tasks given to them, and residents with nobody stay visible by name.
/// </summary>
public class SocialWorkerScopeTests
{
    [Fact]
    public async Task A_sociaal_werker_lists_their_own_residents_and_not_those_of_a_colleague()
    {
        await using var host = await StartWithHannaAsync();
        using var carla = await host.SignInAsync("carla");
        using var hanna = await host.SignInAsync("hanna");

        var carlas = await carla.GetStringAsync("/Bewoners");
        var hannas = await hanna.GetStringAsync("/Bewoners");

        Assert.Contains("Mevrouw A. Jansen", carlas, StringComparison.Ordinal);
        Assert.Contains("Meneer K. Smit", carlas, StringComparison.Ordinal);
        Assert.DoesNotContain("de Vries", carlas, StringComparison.Ordinal);
        Assert.Contains("Meneer P. de Vries", hannas, StringComparison.Ordinal);
        Assert.DoesNotContain("Jansen", hannas, StringComparison.Ordinal);
        Assert.DoesNotContain("Smit", hannas, StringComparison.Ordinal);
        Assert.Contains($"/Bewoner/{HubSeed.DeVries}", hannas, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await hanna.GetAsync($"/Bewoner/{HubSeed.DeVries}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await carla.GetAsync($"/Bewoner/{HubSeed.Jansen}?handler=Grafieken")).StatusCode);
    }

    [Fact]
    public async Task A_direct_url_to_a_colleagues_resident_is_refused_in_dutch_and_audited()
    {
        await using var host = await StartWithHannaAsync();
        using var hanna = await host.SignInAsync("hanna");
        using var dirk = await host.SignInAsync("dirk");

        using var page = await hanna.GetAsync($"/Bewoner/{HubSeed.Jansen}");
        var text = await page.Content.ReadAsStringAsync();
        using var charts = await hanna.GetAsync($"/Bewoner/{HubSeed.Jansen}?handler=Grafieken");
        using var context = await DashboardHost.PostFormAsync(hanna, "/Bewoners", $"/Bewoner/{HubSeed.Jansen}?handler=Context",
            new() { ["kind"] = "holiday", ["from"] = "2026-03-20" });
        // Nor can she make herself the vast aanspreekpunt of someone who already has one; neither can a nurse.
        using var takeOver = await DashboardHost.PostFormAsync(hanna, "/Bewoners", "/Bewoners?handler=Toewijzen",
            new() { ["id"] = HubSeed.Jansen, ["contact"] = "hanna" });
        using var byNurse = await DashboardHost.PostFormAsync(dirk, "/Bewoners", "/Bewoners?handler=Toewijzen",
            new() { ["id"] = HubSeed.Visser, ["contact"] = "carla" });

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("Geen toegang", text, StringComparison.Ordinal);
        Assert.Contains("U bent niet het vaste aanspreekpunt van deze bewoner.", text, StringComparison.Ordinal);
        Assert.Contains("Carla Peters", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Jansen", text, StringComparison.Ordinal);
        Assert.DoesNotContain("010-1234567", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, charts.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, context.StatusCode);
        Assert.Empty(host.Hub.Context.GetValueOrDefault(HubSeed.Jansen) ?? []);
        Assert.Equal(HttpStatusCode.Forbidden, takeOver.StatusCode);
        Assert.Contains("Alleen het vaste aanspreekpunt kan deze bewoner aan een collega overdragen", await takeOver.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byNurse.StatusCode);
        var caseload = host.App.Services.GetRequiredService<Caseload>();
        Assert.Equal("carla", caseload.ContactOf(HubSeed.Jansen));
        Assert.Null(caseload.ContactOf(HubSeed.Visser));
        var refusals = Audit(host).Recent(residentId: HubSeed.Jansen).Where(e => e.Actor == "hanna" && e.Action == "toegang geweigerd").ToList();
        Assert.Equal(4, refusals.Count);
        Assert.Contains(refusals, e => e.Detail == "vast aanspreekpunt kiezen");
        Assert.DoesNotContain(Audit(host).Recent(residentId: HubSeed.Jansen), e => e.Actor == "hanna" && e.Action != "toegang geweigerd");
        Assert.Contains(Audit(host).Recent(residentId: HubSeed.Visser), e => e.Actor == "dirk" && e.Action == "toegang geweigerd");
    }

    [Fact]
    public async Task Tasks_meldingen_and_the_belronde_show_a_sociaal_werker_only_their_own_residents()
    {
        await using var host = await StartWithHannaAsync();
        await host.Planner.RunOnceAsync();
        using var carla = await host.SignInAsync("carla");
        using var hanna = await host.SignInAsync("hanna");
        var jansensCall = host.Tasks.FindActive(HubSeed.Jansen, TaskKinds.BelrondeCall)!;

        var carlasTasks = await carla.GetStringAsync("/Taken");
        var hannasTasks = await hanna.GetStringAsync("/Taken");
        var hannasMeldingen = await hanna.GetStringAsync("/Meldingen");
        var hannasRound = await hanna.GetStringAsync("/Belronde");
        using var someoneElsesTask = await hanna.GetAsync($"/Taak/{jansensCall.Id}");

        Assert.Contains("Mevrouw A. Jansen", carlasTasks, StringComparison.Ordinal);
        Assert.Contains("Mevrouw T. Bakker", carlasTasks, StringComparison.Ordinal);
        Assert.Contains("Meneer P. de Vries", hannasTasks, StringComparison.Ordinal);
        Assert.DoesNotContain("Jansen", hannasTasks, StringComparison.Ordinal);
        Assert.DoesNotContain("Bakker", hannasTasks, StringComparison.Ordinal);
        Assert.DoesNotContain("Bakker", hannasMeldingen, StringComparison.Ordinal);
        Assert.Contains("Meneer P. de Vries", hannasRound, StringComparison.Ordinal);
        Assert.DoesNotContain("Jansen", hannasRound, StringComparison.Ordinal);
        Assert.Contains("Mevrouw A. Jansen", await carla.GetStringAsync("/Belronde"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, someoneElsesTask.StatusCode);
        Assert.Contains(Audit(host).Recent(residentId: HubSeed.Jansen), e => e.Actor == "hanna" && e.Action == "toegang geweigerd" && e.Detail == $"taak {jansensCall.Id}");
    }

    [Fact]
    public async Task A_task_given_to_a_sociaal_werker_for_a_resident_outside_their_caseload_can_still_be_done()
    {
        await using var host = await StartWithHannaAsync();
        await host.Planner.RunOnceAsync();
        var visit = host.Tasks.FindActive(HubSeed.Smit, TaskKinds.Visit)!;
        host.Actions.Reassign(visit.Id, "carla", Roles.SociaalWerker, "hanna", host.App.Services.GetRequiredService<UserStore>());
        using var hanna = await host.SignInAsync("hanna");

        var list = await hanna.GetStringAsync("/Taken");
        var task = await hanna.GetStringAsync($"/Taak/{visit.Id}");
        using var outcome = await DashboardHost.PostFormAsync(hanna, $"/Taak/{visit.Id}", $"/Taak/{visit.Id}?handler=Uitkomst",
            new() { ["outcome"] = Outcomes.AllesGoed });
        using var history = await hanna.GetAsync($"/Bewoner/{HubSeed.Smit}");

        Assert.Contains("Meneer K. Smit", list, StringComparison.Ordinal);
        Assert.Contains("Meneer K. Smit", task, StringComparison.Ordinal);
        Assert.Contains("010-4567890", task, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, outcome.StatusCode);
        Assert.Equal((TaskStatuses.OutcomeRecorded, "hanna"), (host.Tasks.Get(visit.Id)!.Status, host.Tasks.Get(visit.Id)!.OutcomeBy));
        // The task, not the resident's whole history: the resident page stays carla's.
        Assert.Equal(HttpStatusCode.Forbidden, history.StatusCode);
    }

    [Fact]
    public async Task A_resident_without_a_vast_aanspreekpunt_shows_only_the_name_until_a_sociaal_werker_takes_them_on()
    {
        await using var host = await StartWithHannaAsync();
        using var carla = await host.SignInAsync("carla");
        var page = $"/Bewoner/{HubSeed.Visser}";

        var list = await carla.GetStringAsync("/Bewoners");
        var nameOnly = PageContent(await carla.GetStringAsync(page));
        using var charts = await carla.GetAsync($"{page}?handler=Grafieken");
        using var consent = await DashboardHost.PostFormAsync(carla, page, $"{page}?handler=Toestemming", new() { ["monitoring"] = "false" });
        var unassigned = list[list.IndexOf("Nog geen vast aanspreekpunt", StringComparison.Ordinal)..];

        Assert.Contains("Mevrouw L. Visser", unassigned, StringComparison.Ordinal);
        Assert.Contains("Ik word het vaste aanspreekpunt van Mevrouw L. Visser", unassigned, StringComparison.Ordinal);
        Assert.DoesNotContain($"href=\"/Bewoner/{HubSeed.Visser}\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain("010-5678901", list, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"light", unassigned, StringComparison.Ordinal);
        Assert.Contains("Mevrouw L. Visser heeft nog geen vast aanspreekpunt", nameOnly, StringComparison.Ordinal);
        Assert.Contains("Hanna Bos", nameOnly, StringComparison.Ordinal);
        foreach (var hidden in new[] { "010-5678901", "Actogram", "Signalen", "Taken", "Toestemming", "belronde" })
        {
            Assert.DoesNotContain(hidden, nameOnly, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Forbidden, charts.StatusCode);
        Assert.Contains("nog geen vast aanspreekpunt", await charts.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, consent.StatusCode);
        Assert.True((bool)host.Hub.Consents[HubSeed.Visser]["monitoring"]!);

        using var takeOn = await DashboardHost.PostFormAsync(carla, page, "/Bewoners?handler=Toewijzen", new() { ["id"] = HubSeed.Visser, ["contact"] = "carla" });
        var full = await carla.GetStringAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, takeOn.StatusCode);
        Assert.Equal(page, takeOn.Headers.Location!.OriginalString);
        Assert.Contains("U bent nu het vaste aanspreekpunt van deze bewoner.", full, StringComparison.Ordinal);
        Assert.Contains("Vast aanspreekpunt: Carla Peters", full, StringComparison.Ordinal);
        Assert.Contains("Actogram", full, StringComparison.Ordinal);
        Assert.Contains("010-5678901", full, StringComparison.Ordinal);
        Assert.DoesNotContain("Nog geen vast aanspreekpunt", await carla.GetStringAsync("/Bewoners"), StringComparison.Ordinal);
        var trail = Audit(host).Recent(residentId: HubSeed.Visser);
        Assert.Contains(trail, e => e.Actor == "carla" && e.Action == "bewoner zonder vast aanspreekpunt bekeken" && e.Detail == "alleen naam");
        Assert.Contains(trail, e => e.Actor == "carla" && e.Action == "vast aanspreekpunt toegewezen" && e.Detail == "niemand -> carla");
    }

    [Fact]
    public async Task A_sociaal_werker_assigns_an_unassigned_resident_to_a_colleague_and_hands_over_their_own()
    {
        await using var host = await StartWithHannaAsync();
        using var carla = await host.SignInAsync("carla");
        using var hanna = await host.SignInAsync("hanna");
        var caseload = host.App.Services.GetRequiredService<Caseload>();

        using var toNurse = await DashboardHost.PostFormAsync(carla, "/Bewoners", "/Bewoners?handler=Toewijzen", new() { ["id"] = HubSeed.Visser, ["contact"] = "dirk" });
        Assert.Contains("Kies een actieve sociaal werker", await carla.GetStringAsync("/Bewoners"), StringComparison.Ordinal);
        using var unknown = await DashboardHost.PostFormAsync(carla, "/Bewoners", "/Bewoners?handler=Toewijzen", new() { ["id"] = "r-000000", ["contact"] = "carla" });
        Assert.Contains("Deze bewoner bestaat niet (meer).", await carla.GetStringAsync("/Bewoners"), StringComparison.Ordinal);
        using var noResident = await DashboardHost.PostFormAsync(carla, "/Bewoners", "/Bewoners?handler=Toewijzen", new() { ["contact"] = "carla" });
        Assert.Contains("Kies een bewoner.", await carla.GetStringAsync("/Bewoners"), StringComparison.Ordinal);
        Assert.Null(caseload.ContactOf(HubSeed.Visser));
        Assert.Null(caseload.ContactOf("r-000000"));

        using var toHanna = await DashboardHost.PostFormAsync(carla, "/Bewoners", "/Bewoners?handler=Toewijzen", new() { ["id"] = HubSeed.Visser, ["contact"] = "hanna" });
        Assert.Contains("Hanna Bos is nu het vaste aanspreekpunt.", await carla.GetStringAsync("/Bewoners"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await hanna.GetAsync($"/Bewoner/{HubSeed.Visser}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await carla.GetAsync($"/Bewoner/{HubSeed.Visser}")).StatusCode);

        var jansen = $"/Bewoner/{HubSeed.Jansen}";
        Assert.Contains("Vast aanspreekpunt overdragen", await carla.GetStringAsync(jansen), StringComparison.Ordinal);
        using var handOver = await DashboardHost.PostFormAsync(carla, jansen, "/Bewoners?handler=Toewijzen", new() { ["id"] = HubSeed.Jansen, ["contact"] = "hanna" });
        Assert.Equal("/Bewoners", handOver.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, (await carla.GetAsync(jansen)).StatusCode);
        Assert.Contains("Vast aanspreekpunt: Hanna Bos", await hanna.GetStringAsync(jansen), StringComparison.Ordinal);
        Assert.Contains(Audit(host).Recent(residentId: HubSeed.Jansen), e => e.Actor == "carla" && e.Action == "vast aanspreekpunt toegewezen" && e.Detail == "carla -> hanna");
        Assert.Contains(Audit(host).Recent(residentId: HubSeed.Visser), e => e.Actor == "carla" && e.Action == "vast aanspreekpunt toegewezen" && e.Detail == "niemand -> hanna");
    }

    [Fact]
    public async Task When_a_sociaal_werker_leaves_their_residents_are_listed_as_unassigned_for_a_colleague_to_take_on()
    {
        await using var host = await StartWithHannaAsync();
        using var carla = await host.SignInAsync("carla");
        host.App.Services.GetRequiredService<UserStore>().Deactivate("hanna");

        var list = await carla.GetStringAsync("/Bewoners");
        using var takeOn = await DashboardHost.PostFormAsync(carla, "/Bewoners", "/Bewoners?handler=Toewijzen", new() { ["id"] = HubSeed.DeVries, ["contact"] = "carla" });

        Assert.Contains("Ik word het vaste aanspreekpunt van Meneer P. de Vries", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await carla.GetAsync($"/Bewoner/{HubSeed.DeVries}")).StatusCode);
        Assert.Contains(Audit(host).Recent(residentId: HubSeed.DeVries), e => e.Action == "vast aanspreekpunt toegewezen" && e.Detail == "niemand -> carla");
    }

    /// <summary>The standard host plus hanna, a second sociaal werker, who is the vast aanspreekpunt of de Vries.</summary>
    private static async Task<DashboardHost> StartWithHannaAsync()
    {
        var host = await DashboardHost.StartAsync();
        host.App.Services.GetRequiredService<UserStore>().Create("hanna", "Hanna Bos", Roles.SociaalWerker, DashboardHost.Password);
        host.App.Services.GetRequiredService<Caseload>().Assign(HubSeed.DeVries, Roles.SociaalWerker, "hanna");
        return host;
    }

    /// <summary>The page's own content, without the menu (which names every page of the role).</summary>
    private static string PageContent(string html) =>
        html[html.IndexOf("<main", StringComparison.Ordinal)..html.IndexOf("</main>", StringComparison.Ordinal)];

    private static AuditLog Audit(DashboardHost host) => host.App.Services.GetRequiredService<AuditLog>();
}
