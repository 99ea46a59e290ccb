using HomeSignal.Dashboard.Hub;

namespace HomeSignal.Dashboard.Installation;

/// <summary>One walk-test step as the page and its JSON poll show it (texts already in Dutch).</summary>
public sealed record WalkStepView(string SensorId, string Kind, string Instruction, string Status, string StatusText, string? Problem,
    string? ProblemText, string? Explanation, int Events, bool Optional, bool MayRetry);

/// <summary>
/// Everything the Looptest page shows, built on the server for both the first render and the 1-second poll, so a reload
/// and the live view always agree and the script only copies texts.
/// </summary>
public sealed record WalkTestView(string KitId, string Stage, string StageText, string Connection, bool Exists, bool Passed,
    string? CurrentSensorId, IReadOnlyList<WalkStepView> Steps, bool ConsentRecorded, bool MayGoLive, string? GoLiveBlocker,
    string Summary, string? Learning, bool Connected)
{
    public static WalkTestView From(HubKit kit, HubWalkTest? test, HubConsent consent, HubResident? resident, DateTimeOffset now)
    {
        var stage = kit.StageOrLive;
        var installing = stage == KitStages.Installing;
        var steps = (test?.Steps ?? []).Select(s => new WalkStepView(s.SensorId, s.Kind, InstallerWords.Instruction(s), s.Status,
            InstallerWords.StepStatus(s.Status), s.Problem, InstallerWords.Problem(s.Problem),
            s.Status == "failed" ? InstallerWords.Explanation(s.Problem, s.Explanation) : null,
            s.Events, s.Optional ?? s.Kind == "button", installing && s.Status is "failed" or "passed")).ToList();
        var passed = test?.Passed == true;
        string? blocker = !installing ? null
            : !passed ? "Live zetten kan pas als de looptest voor alle sensoren is geslaagd."
            : !consent.Monitoring ? InstallerWords.NoMonitoringConsent
            : null;
        var summary = stage switch
        {
            KitStages.Live => "De kit is live: monitoring staat aan.",
            KitStages.Revoked => "Deze kit is ingetrokken en kan geen verbinding meer maken.",
            _ when test is null && kit.Status != "online" => "Wacht tot de kit verbonden is; start dan de looptest.",
            _ when test is null => "De kit is verbonden: start de looptest.",
            _ when passed => "Looptest geslaagd: alle sensoren werken.",
            _ when steps.FirstOrDefault(s => s.Status == "current") is { } current => $"Nu: {current.Instruction}.",
            _ when steps.Any(s => s.Status == "failed") => "Niet alle sensoren werken: los het probleem op en kies 'opnieuw'.",
            _ => "Looptest bezig.",
        };
        var connection = kit.Status switch
        {
            "online" => "verbonden",
            "never-seen" => "nog niet verbonden (de kit haalt zijn gegevens op)",
            "revoked" => "ingetrokken",
            _ => "niet verbonden",
        };
        return new WalkTestView(kit.KitId, stage, KitStages.Dutch(stage), connection, test is not null, passed, test?.CurrentSensorId, steps,
            consent.Monitoring, installing && blocker is null, blocker, summary,
            stage == KitStages.Live ? InstallerWords.Learning(resident, now) : null, kit.Status == "online");
    }
}
