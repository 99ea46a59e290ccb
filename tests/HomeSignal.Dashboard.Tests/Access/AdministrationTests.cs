using System.Net;
using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Outreach;
using HomeSignal.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HomeSignal.Dashboard.Tests.Access;

public class AdministrationTests
{
    [Fact]
    public async Task When_a_volunteer_leaves_their_session_ends_and_their_calls_go_to_the_next_volunteer()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        using var anna = await host.SignInAsync("anna");
        using var greet = await host.SignInAsync("greet");

        using var response = await DashboardHost.PostFormAsync(greet, "/Gebruikers", "/Gebruikers?handler=Deactiveren", new() { ["username"] = "anna" });
        await host.Planner.RunOnceAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("bert", host.Tasks.FindActive(HubSeed.Jansen, TaskKinds.BelrondeCall)!.Owner);
        using var afterwards = await anna.GetAsync("/Belronde");
        Assert.Equal(HttpStatusCode.Redirect, afterwards.StatusCode);
        Assert.StartsWith("/Inloggen", afterwards.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Null(host.App.Services.GetRequiredService<UserStore>().Verify("anna", DashboardHost.Password));
    }

    [Fact]
    public async Task A_beheerder_creates_a_user_and_sees_the_audit_log_with_its_chain_intact_but_no_resident_pages()
    {
        await using var host = await DashboardHost.StartAsync();
        using var greet = await host.SignInAsync("greet");

        using var created = await DashboardHost.PostFormAsync(greet, "/Gebruikers", "/Gebruikers", new()
        {
            ["username"] = "henk", ["displayName"] = "Henk Bos", ["role"] = Roles.Vrijwilliger, ["password"] = "nog-een-lang-wachtwoord",
        });
        using var weak = await DashboardHost.PostFormAsync(greet, "/Gebruikers", "/Gebruikers", new()
        {
            ["username"] = "ines", ["displayName"] = "Ines", ["role"] = Roles.Vrijwilliger, ["password"] = "kort",
        });
        var audit = await greet.GetStringAsync("/Audit");
        using var resident = await greet.GetAsync($"/Bewoner/{HubSeed.Jansen}");

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(Roles.Vrijwilliger, host.App.Services.GetRequiredService<UserStore>().Verify("henk", "nog-een-lang-wachtwoord")!.Role);
        Assert.Null(host.App.Services.GetRequiredService<UserStore>().Find("ines"));
        Assert.Contains("De keten is intact", audit, StringComparison.Ordinal);
        Assert.Contains("gebruiker aangemaakt", audit, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, resident.StatusCode);
    }

    [Fact]
    public async Task A_coordinator_reassigns_a_call_to_another_volunteer_but_not_to_a_nurse()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        using var carla = await host.SignInAsync("carla");
        var call = host.Tasks.FindActive(HubSeed.Jansen, TaskKinds.BelrondeCall)!;

        using var ok = await DashboardHost.PostFormAsync(carla, $"/Taak/{call.Id}", $"/Taak/{call.Id}?handler=Toewijzen", new() { ["owner"] = "bert" });
        Assert.Equal("bert", host.Tasks.Get(call.Id)!.Owner);
        Assert.Throws<TaskActionException>(() => host.Actions.Reassign(call.Id, "carla", Roles.SociaalWerker, "dirk",
            host.App.Services.GetRequiredService<UserStore>()));
        Assert.Throws<UnauthorizedAccessException>(() => host.Actions.Reassign(call.Id, "bert", Roles.Vrijwilliger, "anna",
            host.App.Services.GetRequiredService<UserStore>()));
        Assert.Equal("bert", host.Tasks.Get(call.Id)!.Owner);
    }
}
