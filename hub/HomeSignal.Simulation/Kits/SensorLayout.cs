using HomeSignal.Contracts.Payloads;
using HomeSignal.Simulation.Residents;

namespace HomeSignal.Simulation.Kits;

/// <summary>The sensors of a simulated kit and their ids, as an installer would register them.</summary>
public static class SensorLayout
{
    public const string FrontDoor = "door-front";
    public const string MailboxFlap = "mailbox-flap";
    public const string MailboxDoor = "mailbox-door";

    public const string PurposeFrontDoor = "front-door";
    public const string PurposePresence = "presence";
    public const string PurposePostDelivered = "post-delivered";
    public const string PurposePostCollected = "post-collected";

    public static string MotionId(Room room) => "motion-" + RoomName(room);

    public static string RoomName(Room room) => room switch
    {
        Room.Hall => "hall",
        Room.Living => "living",
        Room.Kitchen => "kitchen",
        Room.Bathroom => "bathroom",
        Room.Bedroom => "bedroom",
        _ => throw new ArgumentOutOfRangeException(nameof(room), room, "Unknown room."),
    };

    /// <summary>The profile's sensors: front door, one motion sensor per room with a sensor, post-box flap and lid.</summary>
    public static IReadOnlyList<SensorAssignment> For(ResidentProfile profile)
    {
        var sensors = new List<SensorAssignment> { new(FrontDoor, SensorKind.Door, "hall", PurposeFrontDoor) };
        foreach (var room in Enum.GetValues<Room>())
        {
            if (profile.HasSensorIn(room))
            {
                sensors.Add(new(MotionId(room), SensorKind.Motion, RoomName(room), PurposePresence));
            }
        }

        sensors.Add(new(MailboxFlap, SensorKind.MailboxFlap, "entrance", PurposePostDelivered));
        sensors.Add(new(MailboxDoor, SensorKind.MailboxDoor, "entrance", PurposePostCollected));
        return sensors;
    }
}
