using System.Globalization;

namespace HomeSignal.EndToEnd.Tests.Support;

/// <summary>
/// The sensors of an end-to-end kit, configured in code on both sides: the edge's GPIO wiring (pins match the default
/// appsettings.json) and the hub's registry entry (purpose and room).
/// </summary>
public static class KitSensors
{
    private static readonly (string Id, string Kind, string ApiKind, int Pin, string Room)[] Wiring =
    [
        ("door-front", "Door", "door", 17, "hal"),
        ("motion-living", "Motion", "motion", 27, "woonkamer"),
        ("motion-bedroom", "Motion", "motion", 22, "slaapkamer"),
        ("mailbox-flap", "MailboxFlap", "mailbox-flap", 5, "voordeur"),
        ("mailbox-door", "MailboxDoor", "mailbox-door", 6, "voordeur"),
    ];

    /// <summary>The hub's registry entry for these sensors (the body of <c>POST /api/kits</c>'s <c>sensors</c>).</summary>
    public static object[] Registry => [.. Wiring.Select(w => new { sensorId = w.Id, kind = w.ApiKind, room = w.Room, purpose = w.Room })];

    /// <summary>Adds the edge's GPIO configuration for these sensors to a kit's settings.</summary>
    public static Dictionary<string, string?> WithGpio(this Dictionary<string, string?> settings, int quietSeconds = 1)
    {
        for (var i = 0; i < Wiring.Length; i++)
        {
            var (id, kind, _, pin, room) = Wiring[i];
            var prefix = $"Gpio:Sensors:{i}:";
            settings[prefix + "Id"] = id;
            settings[prefix + "Kind"] = kind;
            settings[prefix + "Pin"] = pin.ToString(CultureInfo.InvariantCulture);
            settings[prefix + "Pull"] = kind == "Motion" ? "Down" : "Up";
            settings[prefix + "Room"] = room;
            settings[prefix + "Purpose"] = room;
            settings[prefix + "DebounceMilliseconds"] = "5";
            if (kind == "Motion")
            {
                settings[prefix + "ActiveLevel"] = "High";
                settings[prefix + "QuietSeconds"] = quietSeconds.ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                settings[prefix + "Contact"] = "NormallyOpen";
            }
        }

        return settings;
    }
}
