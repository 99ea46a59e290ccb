using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Outreach;

namespace HomeSignal.Dashboard.Tests.Outreach;

public class SignalRoutingTests
{
    private static HubSignal Signal(string severity, string layer = "acute", string kind = "not-up") =>
        new() { SignalId = "s1", ResidentId = "r-1", Kind = kind, Severity = severity, Layer = layer };

    private static readonly HubConsent All = new(true, true, true);

    [Fact]
    public void Urgent_signal_goes_to_the_nurse_when_the_resident_shares_with_the_nurse()
    {
        var route = SignalRouting.Decide(Signal("urgent"), All);
        Assert.Equal((TaskKinds.UrgentMelding, Roles.Wijkverpleegkundige), (route.Kind, route.Role));
    }

    [Fact]
    public void Urgent_signal_goes_to_the_sociaal_werker_without_consent_to_share_with_the_nurse()
    {
        var route = SignalRouting.Decide(Signal("urgent"), All with { ShareWithNurse = false });
        Assert.Equal((TaskKinds.UrgentMelding, Roles.SociaalWerker), (route.Kind, route.Role));
    }

    [Fact]
    public void Today_signal_becomes_a_belronde_call_only_with_belronde_consent()
    {
        Assert.Equal(TaskKinds.BelrondeCall, SignalRouting.Decide(Signal("today"), All).Kind);
        var withoutBelronde = SignalRouting.Decide(Signal("today"), All with { Belronde = false });
        Assert.Equal((TaskKinds.Visit, Roles.SociaalWerker), (withoutBelronde.Kind, withoutBelronde.Role));
    }

    [Fact]
    public void Decline_signal_becomes_a_visit_by_the_sociaal_werker()
    {
        var route = SignalRouting.Decide(Signal("this-week", "decline", "decline-outings"), All);
        Assert.Equal((TaskKinds.Visit, Roles.SociaalWerker), (route.Kind, route.Role));
    }

    [Fact]
    public void Data_health_signal_becomes_kit_maintenance_for_the_installer()
    {
        var route = SignalRouting.Decide(Signal("today", "data-health", "kit-offline"), HubConsent.None with { Monitoring = true });
        Assert.Equal((TaskKinds.KitMaintenance, Roles.Installateur), (route.Kind, route.Role));
    }

    [Fact]
    public void Without_monitoring_consent_a_behaviour_signal_becomes_nothing()
    {
        Assert.Null(SignalRouting.Decide(Signal("urgent"), HubConsent.None).Kind);
        Assert.Null(SignalRouting.Decide(Signal("unknown-severity"), All).Kind);
    }

    [Theory]
    [InlineData(Outcomes.ZorgNodig, null, true, "relevant")]
    [InlineData(Outcomes.AllesGoed, null, true, "not-relevant")]
    [InlineData(Outcomes.NietOpgenomen, null, false, "relevant")]
    [InlineData(Outcomes.NietOpgenomen, null, true, "explained-other")]
    [InlineData(Outcomes.OnterechtSignaal, "bezoek", true, "explained-visit")]
    [InlineData(Outcomes.OnterechtSignaal, "weg", true, "explained-holiday")]
    public void Every_outcome_maps_to_a_label_of_the_hub_api(string outcome, string? reason, bool moved, string label) =>
        Assert.Equal(label, TaskActions.LabelFor(outcome, reason, moved));
}
