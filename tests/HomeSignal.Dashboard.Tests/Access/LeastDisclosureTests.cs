using System.Net;
using HomeSignal.Dashboard.Tests.Infrastructure;

namespace HomeSignal.Dashboard.Tests.Access;

/// <summary>Least disclosure, enforced on the server: each role over real HTTP with its own cookie.</summary>
public class LeastDisclosureTests
{
    [Fact]
    public async Task A_volunteer_sees_only_their_own_round_and_gets_403_on_a_residents_history()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        using var anna = await host.SignInAsync("anna");

        var round = await anna.GetStringAsync("/Belronde");
        using var history = await anna.GetAsync($"/Bewoner/{HubSeed.Jansen}");
        using var charts = await anna.GetAsync($"/Bewoner/{HubSeed.Jansen}?handler=Grafieken");
        var bertsCall = host.Tasks.FindActive(HubSeed.DeVries, Dashboard.Outreach.TaskKinds.BelrondeCall)!;
        using var bertsTask = await anna.GetAsync($"/Taak/{bertsCall.Id}");

        Assert.Contains("Mevrouw A. Jansen", round, StringComparison.Ordinal);
        Assert.Contains("010-1234567", round, StringComparison.Ordinal);
        Assert.Contains("Nog geen beweging vandaag, normaal rond 07:10 op.", round, StringComparison.Ordinal);
        Assert.DoesNotContain("de Vries", round, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, history.StatusCode);
        Assert.Contains("Geen toegang", await history.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, charts.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bertsTask.StatusCode);
        foreach (var page in new[] { "/Kits", "/Audit", "/Meldingen", "/Bewoners", "/Gebruikers" })
        {
            using var refused = await anna.GetAsync(page);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{page} gave {(int)refused.StatusCode}");
        }
    }

    [Fact]
    public async Task An_installer_sees_kit_health_but_no_behaviour_and_no_names()
    {
        await using var host = await DashboardHost.StartAsync();
        using var frank = await host.SignInAsync("frank");

        var kits = await frank.GetStringAsync("/Kits");
        using var history = await frank.GetAsync($"/Bewoner/{HubSeed.Bakker}");
        using var round = await frank.GetAsync("/Belronde");

        Assert.Contains("kit-4e5f6a", kits, StringComparison.Ordinal);
        Assert.Contains("offline", kits, StringComparison.Ordinal);
        Assert.Contains("312 berichten", kits, StringComparison.Ordinal);
        Assert.Contains("pir-keuken", kits, StringComparison.Ordinal);
        Assert.DoesNotContain("Bakker", kits, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, history.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, round.StatusCode);
    }

    [Fact]
    public async Task A_nurse_sees_only_residents_who_consented_to_sharing_with_the_nurse()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        using var dirk = await host.SignInAsync("dirk");

        using var consented = await dirk.GetAsync($"/Bewoner/{HubSeed.Bakker}");
        using var notConsented = await dirk.GetAsync($"/Bewoner/{HubSeed.DeVries}");
        var list = await dirk.GetStringAsync("/Bewoners");
        var meldingen = await dirk.GetStringAsync("/Meldingen");

        Assert.Equal(HttpStatusCode.OK, consented.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notConsented.StatusCode);
        Assert.Contains("Mevrouw T. Bakker", list, StringComparison.Ordinal);
        Assert.DoesNotContain("de Vries", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Mulder", list, StringComparison.Ordinal);
        Assert.Contains("Lang geen beweging", meldingen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_coordinator_sees_no_behaviour_of_a_resident_without_monitoring_consent()
    {
        await using var host = await DashboardHost.StartAsync();
        using var carla = await host.SignInAsync("carla");

        var page = await carla.GetStringAsync($"/Bewoner/{HubSeed.Mulder}");
        using var charts = await carla.GetAsync($"/Bewoner/{HubSeed.Mulder}?handler=Grafieken");

        Assert.Contains("Zonder toestemming voor monitoring", page, StringComparison.Ordinal);
        Assert.DoesNotContain("actogram", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, charts.StatusCode);
    }

    [Fact]
    public async Task Without_signing_in_every_page_redirects_to_the_login_and_wrong_passwords_are_refused()
    {
        await using var host = await DashboardHost.StartAsync();
        using var anonymous = host.Client();

        foreach (var page in new[] { "/", "/Belronde", $"/Bewoner/{HubSeed.Jansen}", "/Kits", "/Audit" })
        {
            using var response = await anonymous.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Inloggen", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        using var wrong = await DashboardHost.PostFormAsync(anonymous, "/Inloggen", "/Inloggen", new() { ["username"] = "anna", ["password"] = "fout-wachtwoord-123" });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("klopt niet", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_post_without_antiforgery_token_is_refused()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        using var anna = await host.SignInAsync("anna");
        var call = host.Tasks.FindActive(HubSeed.Jansen, Dashboard.Outreach.TaskKinds.BelrondeCall)!;

        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["outcome"] = "alles-goed" });
        using var response = await anna.PostAsync($"/Taak/{call.Id}?handler=Uitkomst", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(Dashboard.Outreach.TaskStatuses.Open, host.Tasks.Get(call.Id)!.Status);
    }
}
