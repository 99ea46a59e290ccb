using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Outreach;
using HomeSignal.Dashboard.Tests.Infrastructure;

namespace HomeSignal.Dashboard.Tests.Outreach;

public class OutcomeTests
{
    [Fact]
    public async Task Niet_opgenomen_without_movement_since_the_morning_escalates_to_the_nurse_with_an_email()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        var call = host.Tasks.FindActive(HubSeed.Jansen, TaskKinds.BelrondeCall)!;
        host.Time.Advance(TimeSpan.FromMinutes(20)); // 09:05

        var followUp = await host.Actions.RecordOutcomeAsync(call.Id, "anna", Roles.Vrijwilliger, Outcomes.NietOpgenomen, null, null);

        var melding = host.Tasks.Get(followUp!.Value)!;
        Assert.Equal((TaskKinds.UrgentMelding, "dirk", call.Id), (melding.Kind, melding.Owner, melding.FromTaskId));
        Assert.Contains("geen beweging", melding.Reason, StringComparison.Ordinal);
        Assert.Equal(TaskStatuses.OutcomeRecorded, host.Tasks.Get(call.Id)!.Status);
        var mails = await host.Smtp.WaitForAsync(2, TimeSpan.FromSeconds(30)); // Bakker's melding and this one, both for dirk
        Assert.Contains(mails, m => m.Data.Contains($"/Taak/{melding.Id}", StringComparison.Ordinal));
        var label = Assert.Single(host.Hub.Labels, l => l.ResidentId == HubSeed.Jansen);
        Assert.Equal(("relevant", "anna"), ((string?)label.Label["outcome"], (string?)label.Label["recordedBy"]));
    }

    [Fact]
    public async Task Niet_opgenomen_with_movement_today_does_not_escalate()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        var call = host.Tasks.FindActive(HubSeed.DeVries, TaskKinds.BelrondeCall)!;

        var followUp = await host.Actions.RecordOutcomeAsync(call.Id, "bert", Roles.Vrijwilliger, Outcomes.NietOpgenomen, null, null);

        Assert.Null(followUp);
        Assert.Null(host.Tasks.FindActive(HubSeed.DeVries, TaskKinds.UrgentMelding));
        Assert.Equal("explained-other", (string?)Assert.Single(host.Hub.Labels).Label["outcome"]);
    }

    [Fact]
    public async Task Onterecht_signaal_needs_a_reason_and_the_reason_goes_back_as_a_label()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        var call = host.Tasks.FindActive(HubSeed.Jansen, TaskKinds.BelrondeCall)!;

        await Assert.ThrowsAsync<TaskActionException>(() =>
            host.Actions.RecordOutcomeAsync(call.Id, "anna", Roles.Vrijwilliger, Outcomes.OnterechtSignaal, null, null));
        await host.Actions.RecordOutcomeAsync(call.Id, "anna", Roles.Vrijwilliger, Outcomes.OnterechtSignaal, "bezoek", "Dochter logeerde");

        var label = Assert.Single(host.Hub.Labels).Label;
        Assert.Equal(($"{HubSeed.Jansen}:not-up:1", "explained-visit"), ((string?)label["signalId"], (string?)label["outcome"]));
        Assert.Contains(host.Tasks.LogOf(call.Id), e => e.Kind == "note" && e.Text == "Dochter logeerde");
    }

    [Fact]
    public async Task A_volunteer_cannot_record_an_outcome_on_someone_elses_call()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        var bertsCall = host.Tasks.FindActive(HubSeed.DeVries, TaskKinds.BelrondeCall)!;

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
            host.Actions.RecordOutcomeAsync(bertsCall.Id, "anna", Roles.Vrijwilliger, Outcomes.AllesGoed, null, null));
        Assert.Equal(TaskStatuses.Open, host.Tasks.Get(bertsCall.Id)!.Status);
    }

    [Fact]
    public async Task Labels_wait_while_the_hub_is_down_and_are_sent_on_the_next_run()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        var call = host.Tasks.FindActive(HubSeed.DeVries, TaskKinds.BelrondeCall)!;
        host.Hub.Up = false;
        await host.Actions.RecordOutcomeAsync(call.Id, "bert", Roles.Vrijwilliger, Outcomes.AllesGoed, null, null);
        Assert.Empty(host.Hub.Labels);

        host.Hub.Up = true;
        var run = await host.Planner.RunOnceAsync();

        Assert.Equal(1, run.LabelsSent);
        Assert.Equal("not-relevant", (string?)Assert.Single(host.Hub.Labels).Label["outcome"]);
    }

    [Fact]
    public async Task Lifecycle_runs_open_picked_up_outcome_recorded_closed()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        var melding = host.Tasks.FindActive(HubSeed.Bakker, TaskKinds.UrgentMelding)!;

        Assert.Throws<TaskActionException>(() => host.Actions.Close(melding.Id, "dirk", Roles.Wijkverpleegkundige));
        host.Actions.PickUp(melding.Id, "dirk", Roles.Wijkverpleegkundige);
        Assert.Equal(TaskStatuses.PickedUp, host.Tasks.Get(melding.Id)!.Status);
        await host.Actions.RecordOutcomeAsync(melding.Id, "dirk", Roles.Wijkverpleegkundige, Outcomes.ZorgNodig, null, "Gevallen, huisarts gebeld");
        host.Actions.Close(melding.Id, "dirk", Roles.Wijkverpleegkundige);

        var closed = host.Tasks.Get(melding.Id)!;
        Assert.Equal((TaskStatuses.Closed, Outcomes.ZorgNodig), (closed.Status, closed.Outcome));
        Assert.Null(host.Tasks.FindActive(HubSeed.Bakker, TaskKinds.UrgentMelding));
    }
}
