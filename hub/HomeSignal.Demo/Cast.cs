using HomeSignal.Detection.History;
using HomeSignal.Simulation;
using HomeSignal.Simulation.Patterns;

namespace HomeSignal.Demo;

/// <summary>One demo resident: who they are (fictional), what their simulated life holds, and how the demo runs their kit.</summary>
public sealed record CastMember(
    string Name,
    string Phone,
    int Seed,
    string Story,
    IReadOnlyList<InjectedPattern> Patterns,
    bool LiveKit,
    bool KitFailsAfterStart = false,
    string? DailyRoundReason = null);

/// <summary>
/// The demo's residents: eight weeks of simulated history each, some ordinary, some slowly declining, one in acute
/// trouble this morning, one whose kit drops off the network — a realistic morning for every role.
/// </summary>
public static class Cast
{
    public static IReadOnlyList<CastMember> For(DateTimeOffset now)
    {
        var local = LocalClock.ToLocal(now);
        var today = DateOnly.FromDateTime(local);
        return
        [
            new("Mevrouw Jansen", "06 1234 5601", 101, "gewoon ritme; staat op eigen verzoek op de belronde", [], LiveKit: true,
                DailyRoundReason: "Laat 's nachts de deur open uit angst niet gevonden te worden; wil elke ochtend gebeld worden"),
            // Withdrawing since he lives alone: fewer outings and less movement about the home, both for five weeks and at
            // full effect for the last two. Outings alone are not enough for a demo that may start in autumn: with too few
            // residents for a population reference the daylight prior expects fewer outings then, and the change must
            // persist over two nightly evaluations a week apart. Movement in the home has no season, so it is flagged
            // whatever the date; outings are flagged too on most dates.
            new("Meneer de Boer", "06 1234 5602", 102, "gaat sinds een maand steeds minder de deur uit en beweegt ook thuis minder; op eigen verzoek op de belronde",
                [
                    InjectedPattern.Decline(PatternKind.DeclineOutings, today.AddDays(-35), rampDays: 21),
                    InjectedPattern.Decline(PatternKind.DeclineMovement, today.AddDays(-35), rampDays: 21),
                ], LiveKit: true,
                DailyRoundReason: "Woont sinds kort alleen en hoort graag elke ochtend even een stem"),
            new("Mevrouw Bakker", "06 1234 5603", 103, "haalt de post steeds later of niet meer op",
                [InjectedPattern.Decline(PatternKind.DeclinePost, today.AddDays(-28), rampDays: 14)], LiveKit: true),
            new("Meneer Visser", "06 1234 5604", 104, "vanochtend nog niet opgestaan",
                [InjectedPattern.NotUpInMorning(today)], LiveKit: true),
            new("Mevrouw Smit", "06 1234 5605", 105, AcuteStory(local), [AcutePattern(local)], LiveKit: true),
            new("Meneer Mulder", "06 1234 5606", 106, "gewoon ritme; zijn kit valt kort na de start uit (stroomstoring)", [], LiveKit: true,
                KitFailsAfterStart: true),
        ];
    }

    /// <summary>
    /// One urgent situation that detection can have found by now, whatever the hour the demo starts: a night exit
    /// without return in the early part of the day, a fall (no movement since) later on.
    /// </summary>
    private static InjectedPattern AcutePattern(DateTime local) =>
        local.Hour is >= 5 and < 14
            ? InjectedPattern.NightExitWithoutReturn(DateOnly.FromDateTime(local).AddDays(-1), new TimeOnly(2, 30))
            : InjectedPattern.Fall(DateOnly.FromDateTime(local.AddHours(-4)), TimeOnly.FromDateTime(local.AddHours(-4)));

    private static string AcuteStory(DateTime local) =>
        local.Hour is >= 5 and < 14 ? "vannacht naar buiten gegaan en niet teruggekomen" : "sinds een paar uur geen beweging meer (gevallen)";

    public static SimulationScenario ScenarioOf(CastMember member, DateTimeOffset now, int historyDays)
    {
        var today = LocalClock.LocalDate(now);
        var start = today.AddDays(-historyDays);

        // A shorter history (e.g. --history-days 14) starts a decline on its first day rather than before it.
        var patterns = member.Patterns.Select(p => p.Day < start ? p with { Day = start } : p).ToList();
        return SimulationScenario.Create(member.Seed, start, historyDays + 1) with { Patterns = patterns };
    }
}
