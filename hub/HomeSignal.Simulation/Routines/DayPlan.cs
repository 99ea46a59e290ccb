using HomeSignal.Simulation.Residents;

namespace HomeSignal.Simulation.Routines;

/// <summary>Someone in a room (awake or asleep) from <see cref="Start"/> to <see cref="End"/>, moving at <see cref="Level"/>.</summary>
internal readonly record struct Presence(DateTime Start, DateTime End, Room Room, double Level, bool Asleep);

internal enum Contact
{
    FrontDoor,
    MailboxFlap,
    MailboxDoor,
}

/// <summary>A contact sensor opened at <see cref="Open"/> and closed at <see cref="Close"/>.</summary>
internal readonly record struct ContactOpening(Contact Sensor, DateTime Open, DateTime Close);

/// <summary>A time the resident is not at home or cannot move.</summary>
internal enum AwayKind
{
    Outing,
    DayCare,
    Holiday,
    Hospital,
    Fallen,
    NightOut,
}

/// <summary>An absence (or, for a fall, an immobility). Door openings at either end are the resident's own.</summary>
internal readonly record struct Away(DateTime Start, DateTime End, AwayKind Kind, bool DoorAtStart, bool DoorAtEnd)
{
    /// <summary>At the end of a fall, helpers come in (door, motion) and take the resident to hospital.</summary>
    public bool RescueAtEnd => Kind == AwayKind.Fallen;
}

/// <summary>Everything one resident-day produces before sensors and the kit see it.</summary>
internal sealed class DayPlan
{
    public List<Presence> Resident { get; } = [];

    public List<Presence> Visitor { get; } = [];

    public List<ContactOpening> Contacts { get; } = [];

    public List<Away> Outings { get; } = [];

    public List<(DateTime Start, DateTime End)> Visits { get; } = [];

    public DateTime? Rose { get; set; }

    public DateTime? Bed { get; set; }

    public int NightVisits { get; set; }

    public DateTime? PostDelivered { get; set; }

    public DateTime? PostCollected { get; set; }
}
