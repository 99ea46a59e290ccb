namespace HomeSignal.EndToEnd.Tests.Support;

/// <summary>
/// The hub's registry entry for an end-to-end kit: the sensors of the edge's default wiring (its embedded
/// appsettings.json, which matches hardware/), with their rooms and purposes.
/// </summary>
public static class KitSensors
{
    public static object[] Registry =>
    [
        new { sensorId = "door-front", kind = "door", room = "hal", purpose = "voordeur" },
        new { sensorId = "motion-living", kind = "motion", room = "woonkamer", purpose = "aanwezigheid" },
        new { sensorId = "motion-bedroom", kind = "motion", room = "slaapkamer", purpose = "opstaan en slapen" },
        new { sensorId = "motion-kitchen", kind = "motion", room = "keuken", purpose = "maaltijden" },
        new { sensorId = "mailbox-flap", kind = "mailbox-flap", room = "voordeur", purpose = "post bezorgd" },
        new { sensorId = "mailbox-door", kind = "mailbox-door", room = "voordeur", purpose = "post opgehaald" },
        new { sensorId = "button-ok", kind = "button", room = "woonkamer", purpose = "alles goed" },
    ];
}
