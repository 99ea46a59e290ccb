using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Outreach;
using HomeSignal.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HomeSignal.Dashboard.Tests.Outreach;

public class PlannerTests
{
    [Fact]
    public async Task Morning_signals_become_one_task_each_routed_by_severity_and_consent()
    {
        await using var host = await DashboardHost.StartAsync();
        var run = await host.Planner.RunOnceAsync();

        Assert.Equal(5, run.SignalsRead);
        Assert.Equal(1, run.Ignored); // Mulder: no monitoring consent
        var jansen = Assert.Single(host.Tasks.List(residentId: HubSeed.Jansen));
        Assert.Equal((TaskKinds.BelrondeCall, "anna"), (jansen.Kind, jansen.Owner));
        var bakker = Assert.Single(host.Tasks.List(residentId: HubSeed.Bakker));
        Assert.Equal((TaskKinds.UrgentMelding, "dirk", Roles.Wijkverpleegkundige), (bakker.Kind, bakker.Owner, bakker.OwnerRole));
        var smit = Assert.Single(host.Tasks.List(residentId: HubSeed.Smit));
        Assert.Equal((TaskKinds.Visit, "carla"), (smit.Kind, smit.Owner));
        Assert.Empty(host.Tasks.List(residentId: HubSeed.Mulder));
    }

    [Fact]
    public async Task A_repeated_signal_adds_evidence_to_the_open_task_instead_of_a_new_task()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        host.Time.Advance(TimeSpan.FromMinutes(10));
        host.Hub.AddSignal(HubSeed.Signal($"{HubSeed.Jansen}:inactivity:2", HubSeed.Jansen, "inactivity", "today", "acute",
            host.Time.GetUtcNow(), "Lang geen beweging", "Al een tijd geen beweging in huis.", "Gaat het goed met u?", null, null));

        var run = await host.Planner.RunOnceAsync();
        var again = await host.Planner.RunOnceAsync();

        Assert.Equal(1, run.EvidenceAdded);
        Assert.Equal(0, again.TasksCreated + again.EvidenceAdded);
        var call = Assert.Single(host.Tasks.List(residentId: HubSeed.Jansen));
        Assert.Equal(2, host.Tasks.Signals(call.Id).Count);
    }

    [Fact]
    public async Task A_signal_that_was_already_resolved_when_it_arrived_creates_no_task()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        host.Time.Advance(TimeSpan.FromMinutes(10));
        var old = HubSeed.Signal($"{HubSeed.Smit}:not-up:1", HubSeed.Smit, "not-up", "urgent", "acute",
            host.Time.GetUtcNow().AddDays(-20), "Nog geen beweging vandaag", "Vandaag nog geen beweging gezien.", "Bent u al op?", null, null);
        old["resolvedAt"] = host.Time.GetUtcNow().AddDays(-19).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        old["updatedAt"] = host.Time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        host.Hub.AddSignal(old);

        var run = await host.Planner.RunOnceAsync();

        Assert.Equal(0, run.TasksCreated + run.EvidenceAdded);
        Assert.DoesNotContain(host.Tasks.List(residentId: HubSeed.Smit), t => t.Kind == TaskKinds.UrgentMelding);
    }

    [Fact]
    public async Task Belronde_list_is_prepared_at_0830_with_the_resident_who_is_on_it_by_choice()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false, start: HubSeed.Morning.AddMinutes(-30)); // 08:15 local
        var early = await host.Planner.RunOnceAsync();
        Assert.False(early.BelrondePrepared);
        Assert.Empty(host.Tasks.List(kind: TaskKinds.BelrondeCall));

        host.Time.SetUtcNow(HubSeed.Morning.AddMinutes(-15)); // 08:30 local: the list is ready
        var ready = await host.Planner.RunOnceAsync();
        var later = await host.Planner.RunOnceAsync();

        Assert.True(ready.BelrondePrepared);
        Assert.False(later.BelrondePrepared);
        var call = Assert.Single(host.Tasks.List(kind: TaskKinds.BelrondeCall));
        Assert.Equal((HubSeed.Visser, true, "anna"), (call.ResidentId, call.ByChoice, call.Owner));
        Assert.Contains("deur open", call.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Belronde_list_is_ranked_and_each_line_has_name_phone_reason_and_question()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        var list = host.App.Services.GetRequiredService<BelrondeList>();

        var anna = await list.ForAsync("anna");
        var all = await list.ForAsync(null);

        Assert.True(anna.Ready);
        Assert.Equal(["Mevrouw A. Jansen", "Mevrouw L. Visser"], anna.Lines.Select(l => l.Name));
        Assert.All(anna.Lines, l => Assert.False(string.IsNullOrWhiteSpace(l.Phone + l.Reason + l.Question)));
        Assert.Equal("010-1234567", anna.Lines[0].Phone);
        Assert.Equal("Goedemorgen, bent u al op? Hoe gaat het vandaag?", anna.Lines[0].Question);
        Assert.Equal(3, all.Lines.Count); // plus De Vries on Bert's round
        Assert.DoesNotContain(all.Lines, l => l.Reason.Contains("wegkwijnen", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task An_urgent_melding_not_picked_up_in_time_goes_to_the_next_nurse_and_both_get_an_email()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        var melding = Assert.Single(host.Tasks.List(kind: TaskKinds.UrgentMelding));
        Assert.Equal("dirk", melding.Owner);

        host.Time.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(0, (await host.Planner.RunOnceAsync()).Escalated);
        host.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await host.Planner.RunOnceAsync()).Escalated);

        Assert.Equal("eva", host.Tasks.Get(melding.Id)!.Owner);
        var mails = await host.Smtp.WaitForAsync(2, TimeSpan.FromSeconds(30));
        Assert.Contains(mails, m => m.To.Contains("<dirk@dashboard.test>"));
        Assert.Contains(mails, m => m.To.Contains("<eva@dashboard.test>"));
        // Least disclosure: the e-mail names no resident.
        Assert.All(mails, m => Assert.DoesNotContain("Bakker", m.Data, StringComparison.Ordinal));
        Assert.All(mails, m => Assert.Contains($"http://dashboard.test/Taak/{melding.Id}", m.Data, StringComparison.Ordinal));
        Assert.Equal(2, host.Webhook.Bodies.Count);
        Assert.All(host.Webhook.Bodies, b => Assert.Contains($"\"taskId\":{melding.Id}", b, StringComparison.Ordinal));
        Assert.Contains(host.Webhook.Bodies, b => b.Contains("\"owner\":\"eva\"", StringComparison.Ordinal));
        Assert.All(host.Webhook.Bodies, b => Assert.DoesNotContain("Bakker", b, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hub_that_is_down_loses_no_signal_and_the_intake_catches_up()
    {
        await using var host = await DashboardHost.StartAsync();
        host.Hub.Up = false;
        var down = await host.Planner.RunOnceAsync();
        Assert.Equal(0, down.TasksCreated);

        host.Hub.Up = true;
        var up = await host.Planner.RunOnceAsync();
        Assert.Equal(5, up.TasksCreated); // four signals and the resident on the round by choice
    }

    [Fact]
    public async Task Kit_offline_signal_becomes_kit_maintenance_for_the_installer()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        var signal = HubSeed.Signal("kit-4e5f6a:kit-offline:1", HubSeed.Bakker, "kit-offline", "today", "data-health",
            HubSeed.Morning.AddMinutes(-5), "Kit offline", "De kit geeft al 5 uur geen teken van leven.", "Kunt u de kit nakijken?", null, null);
        host.Hub.AddSignal(signal);
        await host.Planner.RunOnceAsync();

        var task = Assert.Single(host.Tasks.List(kind: TaskKinds.KitMaintenance));
        Assert.Equal(("frank", Roles.Installateur), (task.Owner, task.OwnerRole));
    }

    [Fact]
    public async Task A_signal_without_a_resident_is_ignored_and_counted()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        var bad = HubSeed.Signal("x", HubSeed.Jansen, "not-up", "today", "acute", HubSeed.Morning, "t", "r", "q", null, null);
        bad["residentId"] = "";
        host.Hub.AddSignal(bad);
        var run = await host.Planner.RunOnceAsync();
        Assert.Equal(1, run.Ignored);
        Assert.Empty(host.Tasks.List(residentId: HubSeed.Jansen));
    }

    [Fact]
    public async Task The_belronde_goes_on_with_the_last_known_names_while_the_hub_is_unreachable()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        var list = host.App.Services.GetRequiredService<BelrondeList>();
        await list.ForAsync("anna");

        host.Hub.Up = false;
        var during = await list.ForAsync("anna");

        Assert.True(during.HubUnavailable);
        Assert.Equal("Mevrouw A. Jansen", during.Lines[0].Name);
        Assert.Equal("010-1234567", during.Lines[0].Phone);
    }

    [Fact]
    public async Task A_resident_on_the_daily_round_gets_one_call_a_day_even_after_the_call_was_done()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        await host.Planner.RunOnceAsync();
        var call = Assert.Single(host.Tasks.List(residentId: HubSeed.Visser));
        await host.Actions.RecordOutcomeAsync(call.Id, "anna", Dashboard.Accounts.Roles.Vrijwilliger, Outcomes.AllesGoed, null, null);

        await host.Planner.RunOnceAsync();
        Assert.Single(host.Tasks.List(residentId: HubSeed.Visser));

        host.Time.Advance(TimeSpan.FromDays(1));
        await host.Planner.RunOnceAsync();
        Assert.Equal(2, host.Tasks.List(residentId: HubSeed.Visser).Count);
    }
}

