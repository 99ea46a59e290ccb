using HomeSignal.Contracts.Payloads;
using HomeSignal.Simulation.Residents;

namespace HomeSignal.Simulation.Kits;

/// <summary>
/// The sensors of a simulated kit, as an installer would register them: the same ids, Dutch rooms and purposes as a real
/// kit's defaults (<c>edge/HomeSignal.Edge/appsettings.json</c>, <c>hardware/pins.md</c>), so a simulated home looks like
/// a real installation in the dashboard. The hall and bathroom sensors a real kit adds follow the same pattern.
/// </summary>
public static class SensorLayout
{
    public const string FrontDoor = "door-front";
    public const string MailboxFlap = "mailbox-flap";
    public const string MailboxDoor = "mailbox-door";

    /// <summary>The front door's room, and the room of the post-box sensors (at the front door, outside).</summary>
    public const string RoomFrontDoor = "gang";
    public const string RoomPostBox = "voordeur";

    public const string PurposeFrontDoor = "voordeur";
    public const string PurposePresence = "aanwezigheid";
    public const string PurposePostDelivered = "post bezorgd";
    public const string PurposePostCollected = "post opgehaald";

    /// <summary>The sensor id of a room's motion sensor (ids stay English, as on a real kit: <c>motion-living</c>).</summary>
    public static string MotionId(Room room) => "motion-" + room switch
    {
        Room.Hall => "hall",
        Room.Living => "living",
        Room.Kitchen => "kitchen",
        Room.Bathroom => "bathroom",
        Room.Bedroom => "bedroom",
        _ => throw new ArgumentOutOfRangeException(nameof(room), room, "Unknown room."),
    };

    /// <summary>The room as the dashboard shows it (Dutch, as on a real kit).</summary>
    public static string RoomName(Room room) => room switch
    {
        Room.Hall => RoomFrontDoor,
        Room.Living => "woonkamer",
        Room.Kitchen => "keuken",
        Room.Bathroom => "badkamer",
        Room.Bedroom => "slaapkamer",
        _ => throw new ArgumentOutOfRangeException(nameof(room), room, "Unknown room."),
    };

    /// <summary>What a room's motion sensor is for, in the kit's words.</summary>
    public static string MotionPurpose(Room room) => room switch
    {
        Room.Kitchen => "maaltijden",
        Room.Bedroom => "opstaan en slapen",
        Room.Bathroom => "toiletbezoek",
        _ => PurposePresence,
    };

    /// <summary>The profile's sensors: front door, one motion sensor per room with a sensor, post-box flap and lid.</summary>
    public static IReadOnlyList<SensorAssignment> For(ResidentProfile profile)
    {
        var sensors = new List<SensorAssignment> { new(FrontDoor, SensorKind.Door, RoomFrontDoor, PurposeFrontDoor) };
        foreach (var room in Enum.GetValues<Room>())
        {
            if (profile.HasSensorIn(room))
            {
                sensors.Add(new(MotionId(room), SensorKind.Motion, RoomName(room), MotionPurpose(room)));
            }
        }

        sensors.Add(new(MailboxFlap, SensorKind.MailboxFlap, RoomPostBox, PurposePostDelivered));
        sensors.Add(new(MailboxDoor, SensorKind.MailboxDoor, RoomPostBox, PurposePostCollected));
        return sensors;
    }
}
