using System.Net;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Installation;
using HomeSignal.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HomeSignal.Dashboard.Tests.Installation;

public class DecommissionTests
{
    [Fact]
    public async Task Deleting_needs_withdrawn_consent_then_removes_the_resident_from_hub_and_dashboard_and_keeps_the_audit()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        using var carla = await host.SignInAsync("carla");
        var page = $"/Bewoner/{HubSeed.Jansen}";
        var erasure = host.App.Services.GetRequiredService<ResidentErasure>();
        Assert.NotEmpty(host.Tasks.List(residentId: HubSeed.Jansen));

        using var unconfirmed = await DashboardHost.PostFormAsync(carla, page, $"{page}?handler=Verwijderen", []);
        using var withConsent = await DashboardHost.PostFormAsync(carla, page, $"{page}?handler=Verwijderen", new() { ["confirm"] = "true" });
        Assert.True(host.Hub.Residents.ContainsKey(HubSeed.Jansen));
        Assert.Contains("Trek eerst de toestemming voor monitoring in", await carla.GetStringAsync(page), StringComparison.Ordinal);

        using var withdraw = await DashboardHost.PostFormAsync(carla, page, $"{page}?handler=ToestemmingIntrekken", []);
        Assert.False((bool)host.Hub.Consents[HubSeed.Jansen]["monitoring"]!);
        using var delete = await DashboardHost.PostFormAsync(carla, page, $"{page}?handler=Verwijderen", new() { ["confirm"] = "true" });

        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        Assert.Equal("/Bewoners", delete.Headers.Location!.OriginalString);
        Assert.False(host.Hub.Residents.ContainsKey(HubSeed.Jansen));
        Assert.Equal(0, erasure.Remaining(HubSeed.Jansen));
        Assert.Empty(host.Tasks.List(residentId: HubSeed.Jansen));
        Assert.NotEmpty(host.Tasks.List(residentId: HubSeed.DeVries)); // others keep theirs
        var audit = host.App.Services.GetRequiredService<AuditLog>();
        Assert.Contains(audit.Recent(), e => e.Actor == "carla" && e.Action == "toestemming ingetrokken" && e.ResidentId == HubSeed.Jansen);
        Assert.Contains(audit.Recent(), e => e.Actor == "carla" && e.Action == "alle gegevens verwijderd" && e.ResidentId == HubSeed.Jansen);
        Assert.Contains(audit.Recent(), e => e.Action == "gegevens verwijderen geweigerd");
        Assert.True(audit.Verify().Intact);
        Assert.DoesNotContain(audit.Recent(), e => e.Detail.Contains("Jansen", StringComparison.Ordinal));
        Assert.Contains("Alle gegevens van deze bewoner zijn verwijderd", await carla.GetStringAsync("/Bewoners"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_coordinator_may_withdraw_consent_or_delete_and_a_hub_refusal_is_said_in_words()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        using var dirk = await host.SignInAsync("dirk");
        using var frank = await host.SignInAsync("frank");
        using var carla = await host.SignInAsync("carla");
        var page = $"/Bewoner/{HubSeed.Jansen}";

        // The nurse may open the page (consent to share), but not stop or delete; the installer may not even open it.
        Assert.DoesNotContain("Alle gegevens verwijderen", await dirk.GetStringAsync(page), StringComparison.Ordinal);
        using var nurse = await DashboardHost.PostFormAsync(dirk, page, $"{page}?handler=ToestemmingIntrekken", []);
        Assert.Equal(HttpStatusCode.Forbidden, nurse.StatusCode);
        using var installer = await frank.GetAsync(page);
        Assert.Equal(HttpStatusCode.Forbidden, installer.StatusCode);
        Assert.True((bool)host.Hub.Consents[HubSeed.Jansen]["monitoring"]!);

        // Mulder gave no consent; should the hub still refuse (its state moved on), its 409 is shown in words.
        var mulder = $"/Bewoner/{HubSeed.Mulder}";
        Assert.Contains("Alle gegevens verwijderen", await carla.GetStringAsync(mulder), StringComparison.Ordinal);
        host.Hub.DeleteRefusal = "consent-not-withdrawn";
        using var refused = await DashboardHost.PostFormAsync(carla, mulder, $"{mulder}?handler=Verwijderen", new() { ["confirm"] = "true" });
        Assert.True(host.Hub.Residents.ContainsKey(HubSeed.Mulder));
        Assert.Contains("Trek eerst de toestemming voor monitoring in", await carla.GetStringAsync(mulder), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_resident_page_shows_the_learning_day_while_the_routine_is_learned()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        using var carla = await host.SignInAsync("carla");
        host.Hub.Residents[HubSeed.Smit]["monitoringSince"] = HubSeed.Iso(HubSeed.Morning.AddDays(-2));
        host.Hub.Residents[HubSeed.Smit]["learningDay"] = 3;

        Assert.Contains("leren: dag 3 van 14", await carla.GetStringAsync($"/Bewoner/{HubSeed.Smit}"), StringComparison.Ordinal);
        Assert.DoesNotContain("leren: dag", await carla.GetStringAsync($"/Bewoner/{HubSeed.Jansen}"), StringComparison.Ordinal);
    }
}
