using System.Text.Json.Nodes;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Outreach;
using HomeSignal.Dashboard.Tests.Infrastructure;

namespace HomeSignal.Dashboard.Tests.Outreach;

public class ContextTests
{
    private static readonly DateTimeOffset At = HubSeed.Morning;

    private static HubSignal Signal(string severity, string layer = "acute") =>
        new() { SignalId = "s", ResidentId = "r", Kind = "not-up", Severity = severity, Layer = layer, RaisedAt = At };

    [Fact]
    public void A_holiday_suppresses_a_non_urgent_behaviour_signal_but_never_kit_health_or_urgent_ones()
    {
        HubContextPeriod[] holiday = [new("holiday", At.AddDays(-2), At.AddDays(5), "Texel")];

        Assert.True(ContextRules.For(Signal("today"), holiday).Suppress);
        Assert.True(ContextRules.For(Signal("this-week", "decline"), holiday).Suppress);
        var urgent = ContextRules.For(Signal("urgent"), holiday);
        Assert.False(urgent.Suppress);
        Assert.Equal("Tijdens: vakantie of logeren (Texel).", urgent.Annotation);
        Assert.False(ContextRules.For(Signal("today", "data-health"), holiday).Suppress);
    }

    [Fact]
    public void Day_care_and_visits_annotate_and_inferred_away_periods_count_as_away()
    {
        Assert.Equal(new ContextEffect(false, "Tijdens: dagbesteding."),
            ContextRules.For(Signal("today"), [new HubContextPeriod("day-care", At.AddHours(-2), At.AddHours(4), null)]));
        var inferred = ContextRules.For(Signal("today"), [new HubContextPeriod("holiday", At.AddDays(-1), null, null, Inferred: true)]);
        Assert.True(inferred.Suppress);
        Assert.Contains("afgeleid", inferred.Annotation, StringComparison.Ordinal);
        Assert.False(ContextRules.For(Signal("today"), [new HubContextPeriod("holiday", At.AddDays(-9), At.AddDays(-2), null)]).Suppress);
    }

    [Fact]
    public async Task The_intake_skips_a_not_up_signal_while_the_resident_is_on_holiday_and_annotates_an_urgent_one()
    {
        await using var host = await DashboardHost.StartAsync();
        host.Hub.Context[HubSeed.Jansen] = [new JsonObject { ["kind"] = "holiday", ["from"] = HubSeed.Iso(At.AddDays(-3)), ["to"] = HubSeed.Iso(At.AddDays(4)) }];
        host.Hub.Context[HubSeed.Bakker] = [new JsonObject { ["kind"] = "hospital", ["from"] = HubSeed.Iso(At.AddDays(-1)), ["note"] = "Heup" }];

        await host.Planner.RunOnceAsync();

        Assert.Null(host.Tasks.FindActive(HubSeed.Jansen, TaskKinds.BelrondeCall));
        var melding = host.Tasks.FindActive(HubSeed.Bakker, TaskKinds.UrgentMelding)!;
        Assert.Contains("Tijdens: ziekenhuisopname (Heup).", host.Tasks.Signals(melding.Id)[0].Evidence);
    }
}
