using System.Globalization;
using System.Text.Json.Nodes;

namespace HomeSignal.Dashboard.Tests.Infrastructure;

/// <summary>
/// All test data for the hub stand-in, in one place: a realistic Tuesday morning (10 March 2026, 08:45 in Amsterdam).
/// </summary>
public static class HubSeed
{
    /// <summary>08:45 local (CET, UTC+1): the belronde list (08:30) is ready, the round (09:00) has not started.</summary>
    public static readonly DateTimeOffset Morning = new(2026, 3, 10, 7, 45, 0, TimeSpan.Zero);

    public const string Jansen = "r-5d21e0";   // not up this morning; all consents; no movement today
    public const string DeVries = "r-7a11b2";  // door open at night; no consent to share with the nurse; moved today
    public const string Bakker = "r-3c44d9";   // urgent inactivity; shares with the nurse
    public const string Smit = "r-9e02f7";     // fewer outings over weeks (staff only); no belronde consent
    public const string Visser = "r-2b88c1";   // on the daily belronde by choice (leaves the door open at night)
    public const string Mulder = "r-6f30a4";   // no consent at all

    public static void Apply(FakeHub hub)
    {
        Resident(hub, Jansen, "Mevrouw A. Jansen", "010-1234567", "kit-7f3a9c", monitoring: true, nurse: true, belronde: true);
        Resident(hub, DeVries, "Meneer P. de Vries", "010-2345678", "kit-1b2c3d", monitoring: true, nurse: false, belronde: true);
        Resident(hub, Bakker, "Mevrouw T. Bakker", "010-3456789", "kit-4e5f6a", monitoring: true, nurse: true, belronde: true);
        Resident(hub, Smit, "Meneer K. Smit", "010-4567890", "kit-7b8c9d", monitoring: true, nurse: true, belronde: false);
        Resident(hub, Visser, "Mevrouw L. Visser", "010-5678901", "kit-0a1b2c", monitoring: true, nurse: false, belronde: true);
        Resident(hub, Mulder, "Meneer J. Mulder", "010-6789012", "kit-3d4e5f", monitoring: false, nurse: false, belronde: false);

        foreach (var id in new[] { Jansen, DeVries, Bakker, Smit, Visser })
        {
            hub.HourlyMotion[id] = Motion(id, movedToday: id != Jansen && id != Bakker);
        }

        hub.Context[Smit] = [new JsonObject { ["kind"] = "holiday", ["from"] = Iso(Morning.AddDays(-30)), ["to"] = Iso(Morning.AddDays(-23)), ["note"] = "Bij dochter in Zeeland" }];

        hub.Kits.Add(Kit("kit-7f3a9c", Jansen, "online", Morning.AddMinutes(-1), depth: 0, staleSensor: null));
        hub.Kits.Add(Kit("kit-1b2c3d", DeVries, "online", Morning.AddMinutes(-2), depth: 0, staleSensor: "pir-keuken"));
        hub.Kits.Add(Kit("kit-4e5f6a", Bakker, "offline", Morning.AddHours(-5), depth: 312, staleSensor: null));
    }

    /// <summary>The morning's signals, as detection would publish them.</summary>
    public static void MorningSignals(FakeHub hub)
    {
        hub.AddSignal(Signal($"{Jansen}:not-up:1", Jansen, "not-up", "today", "acute", Morning.AddMinutes(-50),
            "Nog geen beweging vandaag", "Nog geen beweging vandaag, normaal rond 07:10 op.", "Goedemorgen, bent u al op? Hoe gaat het vandaag?",
            "08:45 nog niets", "06:40–07:40"));
        hub.AddSignal(Signal($"{DeVries}:door-open-night:1", DeVries, "door-open-night", "today", "acute", Morning.AddHours(-6),
            "Voordeur 's nachts open", "De voordeur stond vannacht ruim een uur open.", "Heeft u goed geslapen? Stond de deur vannacht open?",
            "72 minuten", "0–5 minuten"));
        hub.AddSignal(Signal($"{Bakker}:inactivity:1", Bakker, "inactivity", "urgent", "acute", Morning.AddMinutes(-20),
            "Lang geen beweging", "Al langer dan gewoonlijk geen beweging in huis, terwijl mevrouw thuis is.", "Kunt u even langsgaan of bellen?",
            "5 uur", "tot 2 uur"));
        hub.AddSignal(Signal($"{Smit}:decline-outings:1", Smit, "decline-outings", "this-week", "decline", Morning.AddDays(-1),
            "Minder vaak naar buiten", "De laatste weken minder vaak naar buiten dan gewoonlijk.", "Zullen we eens een kop koffie drinken?",
            "0,6 per dag", "1,5–2,5 per dag"));
        hub.AddSignal(Signal($"{Mulder}:not-up:1", Mulder, "not-up", "today", "acute", Morning.AddMinutes(-30),
            "Nog geen beweging vandaag", "Nog geen beweging vandaag.", "Goedemorgen, hoe gaat het?", null, null));
    }

    public static JsonObject Signal(string signalId, string residentId, string kind, string severity, string layer, DateTimeOffset raisedAt,
        string title, string reason, string question, string? todayValue, string? normalRange) => new()
    {
        ["signalId"] = signalId, ["residentId"] = residentId, ["kind"] = kind, ["severity"] = severity,
        ["raisedAt"] = Iso(raisedAt), ["updatedAt"] = Iso(raisedAt), ["title"] = title, ["reason"] = reason,
        ["todayValue"] = todayValue, ["normalRange"] = normalRange, ["since"] = Iso(raisedAt.AddHours(-1)),
        ["sensors"] = new JsonArray("pir-woonkamer"), ["question"] = question,
        ["evidence"] = new JsonArray("Laatste beweging: woonkamer"), ["layer"] = layer,
    };

    public static string Iso(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static void Resident(FakeHub hub, string id, string name, string phone, string kit, bool monitoring, bool nurse, bool belronde)
    {
        hub.Residents[id] = new JsonObject
        {
            ["residentId"] = id, ["displayName"] = name, ["phone"] = phone, ["kitIds"] = new JsonArray(kit),
            ["monitoringSince"] = Iso(Morning.AddDays(-90)), ["learningDay"] = 14, ["learningDays"] = 14,
        };
        hub.Consents[id] = new JsonObject
        {
            ["monitoring"] = monitoring, ["shareWithNurse"] = nurse, ["belronde"] = belronde,
            ["recordedBy"] = "coordinator", ["recordedAt"] = Iso(Morning.AddDays(-91)),
        };
    }

    /// <summary>Eight weeks of hourly motion: quiet nights, active days, a little variation by weekday.</summary>
    private static SortedDictionary<DateTimeOffset, int> Motion(string id, bool movedToday)
    {
        var motion = new SortedDictionary<DateTimeOffset, int>();
        var today = new DateTimeOffset(Morning.UtcDateTime.Date, TimeSpan.Zero);
        var seed = id.Sum(c => c);
        for (var at = today.AddDays(-56); at < Morning; at = at.AddHours(1))
        {
            var localHour = (at.Hour + 1) % 24;
            var count = localHour switch
            {
                < 6 => (at.Day + localHour + seed) % 7 == 0 ? 1 : 0,
                < 8 => 4 + ((at.Day + seed) % 5),
                < 22 => 8 + ((at.Day * localHour + seed) % 9),
                _ => 2,
            };
            if (at >= today.AddHours(4) && !movedToday)
            {
                count = 0;
            }

            motion[at] = count;
        }

        return motion;
    }

    private static JsonObject Kit(string kitId, string residentId, string status, DateTimeOffset lastSeen, int depth, string? staleSensor) => new()
    {
        ["kitId"] = kitId, ["residentId"] = residentId, ["status"] = status, ["lastSeen"] = Iso(lastSeen), ["lastHeartbeat"] = Iso(lastSeen),
        ["bootId"] = "b-1", ["softwareVersion"] = "0.1.0",
        ["outbox"] = new JsonObject { ["depth"] = depth, ["oldestAgeSeconds"] = depth > 0 ? 18000 : null },
        ["flags"] = new JsonArray(),
        ["sensors"] = new JsonArray(
            new JsonObject { ["sensorId"] = "deur-voor", ["kind"] = "door", ["room"] = "hal", ["purpose"] = "front-door", ["state"] = "closed", ["lastChange"] = Iso(lastSeen), ["stale"] = false },
            new JsonObject { ["sensorId"] = "pir-keuken", ["kind"] = "motion", ["room"] = "keuken", ["purpose"] = "room", ["state"] = "idle", ["lastChange"] = Iso(lastSeen.AddDays(-3)), ["stale"] = staleSensor == "pir-keuken" }),
    };
}
