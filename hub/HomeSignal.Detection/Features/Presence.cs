using HomeSignal.Detection.History;

namespace HomeSignal.Detection.Features;

public enum PresenceState
{
    Home,
    Away,
}

/// <summary>Infers whether the resident is home from the front door and motion: a door event followed by no motion for
/// <see cref="ExitConfirm"/> is an exit (away since the door closed, or opened if it stays open); the next motion is a
/// return. The same tracker feeds daily features and the acute engine, so both classify silence the same way.</summary>
public sealed class PresenceTracker(TimeSpan exitConfirm)
{
    public TimeSpan ExitConfirm { get; } = exitConfirm;

    public PresenceState State { get; private set; } = PresenceState.Home;

    /// <summary>When the current away period began (the exit's door event), if away.</summary>
    public DateTimeOffset? AwaySince { get; private set; }

    public DateTimeOffset? LastDoorEvent { get; private set; }

    public DateTimeOffset? LastMotion { get; private set; }

    public bool DoorOpen { get; private set; }

    public DateTimeOffset? DoorOpenSince { get; private set; }

    /// <summary>When the front door was last opened (the moment of an exit or entry).</summary>
    public DateTimeOffset? LastDoorOpened { get; private set; }

    /// <summary>Set when an exit is confirmed; the caller reads and clears it to count outings.</summary>
    public DateTimeOffset? ConfirmedExit { get; private set; }

    /// <summary>Set when a return is seen (away → home), with the away start.</summary>
    public (DateTimeOffset From, DateTimeOffset To)? CompletedOuting { get; private set; }

    public void ClearNotifications()
    {
        ConfirmedExit = null;
        CompletedOuting = null;
    }

    /// <summary>Confirms a pending exit whose deadline passed before <paramref name="now"/>.</summary>
    public void Advance(DateTimeOffset now)
    {
        if (State == PresenceState.Home && PendingExitDeadline is { } deadline && now >= deadline)
        {
            State = PresenceState.Away;
            AwaySince = LastDoorEvent;
            ConfirmedExit = LastDoorEvent;
        }
    }

    /// <summary>When a pending exit becomes confirmed if no motion comes first; null when none is pending.</summary>
    public DateTimeOffset? PendingExitDeadline =>
        State == PresenceState.Home && LastDoorEvent is { } door && (LastMotion is null || LastMotion.Value <= door)
            ? door + ExitConfirm
            : null;

    public void OnDoor(DateTimeOffset t, bool open)
    {
        Advance(t);
        LastDoorEvent = t;
        DoorOpen = open;
        DoorOpenSince = open ? t : null;
        if (open)
        {
            LastDoorOpened = t;
        }
    }

    public void OnMotion(DateTimeOffset t)
    {
        Advance(t);
        if (State == PresenceState.Away)
        {
            var from = AwaySince ?? t;
            // The return happened at the door event that preceded this motion, if any came after leaving.
            var back = LastDoorEvent is { } d && d > from ? d : t;
            CompletedOuting = (from, back);
            State = PresenceState.Home;
            AwaySince = null;
        }

        LastMotion = t;
    }
}
