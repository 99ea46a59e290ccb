using HomeSignal.Detection.History;
using HomeSignal.Detection.Signals;

namespace HomeSignal.Detection.Acute;

/// <summary>Builds acute and data-health signals with their Dutch explanation: what, today's value, the normal range,
/// since when, which sensors, and a question for the caller.</summary>
internal static class AcuteText
{
    public static Signal NotUp(ResidentState s, DateOnly date, DateTimeOffset morningStart, DateTimeOffset due)
    {
        var range = s.Baseline.RisingRange;
        var usual = double.IsNaN(range.P10) ? "nog onbekend (de routine wordt nog geleerd)" : $"meestal tussen {DutchText.ClockRange(range.P10, range.P90)}";
        return Make(s, SignalKind.NotUp, SignalSeverity.Urgent, due, morningStart,
            title: "Nog geen beweging vandaag",
            reason: $"Vandaag is er sinds {DutchText.MinuteOfDay(s.Options.Features.MorningStartMinute)} nog geen beweging in huis gezien; normaal is de bewoner rond {DutchText.MinuteOfDay(double.IsNaN(range.P10) ? s.Options.Baselines.PriorNotUpMinute - 120 : (range.P10 + range.P90) / 2)} op.",
            today: $"nog geen beweging om {DutchText.Clock(due)}",
            normal: $"opstaan {usual}",
            since: morningStart,
            sensors: MotionSensors(s),
            question: "Goedemorgen, ik bel even om te horen hoe het met u gaat. Bent u al opgestaan?",
            evidence: [$"Laatste beweging: {(s.LastEvidence is { } l ? DutchText.DayAndClock(l) : "onbekend")}", $"Grens voor {DutchText.Date(date)}: {DutchText.Clock(due)}"]);
    }

    public static Signal Inactivity(ResidentState s, DateTimeOffset start, DateTimeOffset due, TimeSpan threshold) =>
        Make(s, SignalKind.Inactivity, SignalSeverity.Urgent, due, start,
            title: "Lang geen beweging in huis",
            reason: $"Sinds {DutchText.Clock(start)} is er geen beweging meer gezien, terwijl de bewoner thuis lijkt te zijn. Normaal is een stille periode rond dit uur korter dan {DutchText.Duration(threshold)}.",
            today: $"{DutchText.Duration(due - start)} zonder beweging",
            normal: $"korter dan {DutchText.Duration(threshold)}",
            since: start,
            sensors: s.LastEvidenceSensor is { } id ? [id] : MotionSensors(s),
            question: "Ik bel even om te horen of alles goed met u is. Gaat het goed thuis?",
            evidence: [$"Laatste beweging: {DutchText.DayAndClock(start)}{(s.LastEvidenceSensor is { } sid ? $" ({RoomOf(s, sid)})" : "")}", "Voordeur: geen vertrek gezien"]);

    public static Signal DoorOpenNight(ResidentState s, DateTimeOffset open, DateTimeOffset due) =>
        Make(s, SignalKind.DoorOpenNight, SignalSeverity.Today, due, open,
            title: "Voordeur 's nachts open",
            reason: $"De voordeur staat sinds {DutchText.Clock(open)} open en de bewoner lijkt thuis te zijn.",
            today: $"{DutchText.Duration(due - open)} open",
            normal: "'s nachts dicht",
            since: open,
            sensors: FrontDoors(s),
            question: "Ik zag dat uw voordeur vannacht open stond. Wilt u even kijken of hij dicht is? Voelt u zich veilig thuis?",
            evidence: [$"Deur open sinds {DutchText.DayAndClock(open)}"]);

    public static Signal NightExit(ResidentState s, DateTimeOffset exit, DateTimeOffset due) =>
        Make(s, SignalKind.NightExit, SignalSeverity.Urgent, due, exit,
            title: "'s Nachts naar buiten en nog niet terug",
            reason: $"Om {DutchText.Clock(exit)} is de voordeur gebruikt en daarna is er in huis geen beweging meer gezien.",
            today: $"{DutchText.Duration(due - exit)} weg",
            normal: "'s nachts thuis",
            since: exit,
            sensors: FrontDoors(s),
            question: "Is de bewoner thuis? Graag direct bellen en zo nodig even langsgaan.",
            evidence: [$"Voordeur: {DutchText.DayAndClock(exit)}", "Daarna geen beweging in huis"]);

    public static Signal NightRestless(ResidentState s, DateOnly night, DateTimeOffset last) =>
        Make(s, SignalKind.NightRestless, SignalSeverity.Today, last, LocalClock.StartOfDay(night),
            title: "Onrustige nacht",
            reason: $"Vannacht is de bewoner {s.NightVisits} keer uit bed geweest; normaal is dat ongeveer {DutchText.Number(s.Baseline.NightVisitsPerNight)} keer per nacht.",
            today: $"{s.NightVisits} keer uit bed",
            normal: $"ongeveer {DutchText.Number(s.Baseline.NightVisitsPerNight)} keer",
            since: LocalClock.StartOfDay(night),
            sensors: MotionSensors(s),
            question: "Hoe heeft u vannacht geslapen?",
            evidence: [$"Laatste nachtelijke beweging: {DutchText.Clock(last)}"]);

    public static Signal KitOffline(ResidentState s, DateTimeOffset since, DateTimeOffset due) =>
        Make(s, SignalKind.KitOffline, SignalSeverity.Today, due, since,
            title: "Sensorkastje geeft geen bericht",
            reason: $"Het sensorkastje heeft sinds {DutchText.Clock(since)} niets laten horen. Zolang dat zo is, zien we niet hoe het gaat: geen bericht is niet altijd goed bericht.",
            today: $"{DutchText.Duration(due - since)} stil",
            normal: "elke minuut een teken van leven",
            since: since,
            sensors: ["kit"],
            question: "Ik bel even om te horen of alles goed met u is. Staat het kastje nog aan en zit de stekker erin?",
            evidence: [$"Laatste bericht van het kastje: {DutchText.DayAndClock(since)}"]);

    public static Signal SensorStale(ResidentState s, SensorTrack track, DateTimeOffset since, DateTimeOffset due, bool blocksInactivity) =>
        Make(s, SignalKind.SensorStale, blocksInactivity ? SignalSeverity.Today : SignalSeverity.ThisWeek, due, since,
            title: "Sensor meldt niets meer",
            reason: blocksInactivity
                ? $"Er is een tijd geen beweging gezien, maar de sensor in {track.Sensor.Room} meldt al sinds {DutchText.Clock(since)} niets, terwijl de andere sensoren wel werken. Daardoor zien we niet goed hoe het gaat."
                : $"De sensor in {track.Sensor.Room} meldt sinds {DutchText.DayAndClock(since)} niets meer, terwijl hij dat normaal wel doet.",
            today: $"{DutchText.Duration(due - since)} stil",
            normal: $"langste stilte tot nu toe {DutchText.Duration(track.LongestGap)}",
            since: since,
            sensors: [track.Sensor.SensorId],
            question: blocksInactivity
                ? "Ik bel even om te horen of alles goed met u is. Mag de installateur binnenkort even langskomen voor een sensor?"
                : "Mag de installateur binnenkort even langskomen om een sensor na te kijken?",
            evidence: [$"{track.Sensor.SensorId} ({track.Sensor.Kind}, {track.Sensor.Room}) laatst gezien {DutchText.DayAndClock(since)}"]);

    private static Signal Make(ResidentState s, SignalKind kind, SignalSeverity severity, DateTimeOffset raisedAt, DateTimeOffset episode,
        string title, string reason, string today, string normal, DateTimeOffset since, IReadOnlyList<string> sensors, string question,
        IReadOnlyList<string> evidence)
    {
        var learning = DutchText.LearningProgress(s.LearningDay(raisedAt), s.Options.Baselines.LearningDays);
        return new Signal
        {
            ResidentId = s.ResidentId,
            Kind = kind,
            Severity = severity,
            Layer = SignalNames.LayerOf(kind),
            RaisedAt = raisedAt,
            EpisodeStart = episode,
            Title = title,
            Reason = reason,
            TodayValue = today,
            NormalRange = learning is null ? normal : $"{normal} ({learning})",
            Since = since,
            Sensors = sensors,
            Question = question,
            Evidence = evidence,
        };
    }

    private static string RoomOf(ResidentState s, string sensorId) => s.Sensors.Find(sensorId)?.Room ?? sensorId;

    private static List<string> MotionSensors(ResidentState s) => s.Sensors.Motion.Select(m => m.SensorId).ToList();

    private static List<string> FrontDoors(ResidentState s) => s.Sensors.All.Where(x => x.IsFrontDoor).Select(x => x.SensorId).ToList();
}
