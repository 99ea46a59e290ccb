namespace HomeSignal.Simulation.Patterns;

/// <summary>What an injected pattern does. Acute ones happen once at a moment; decline ones ramp up over days.</summary>
public enum PatternKind
{
    /// <summary>A fall at home: no movement and no door from the moment of the fall.</summary>
    Fall,

    /// <summary>At night the resident opens the front door and leaves it open, then goes back to bed.</summary>
    DoorOpenAtNight,

    /// <summary>At night the resident leaves the house and does not come back.</summary>
    NightExitWithoutReturn,

    /// <summary>The resident stays in bed: no movement outside the bedroom from the usual wake time.</summary>
    NotUpInMorning,

    /// <summary>Fewer outings.</summary>
    DeclineOutings,

    /// <summary>Post is delivered but not collected.</summary>
    DeclinePost,

    /// <summary>Less movement about the home: fewer motion periods and fewer room changes.</summary>
    DeclineMovement,

    /// <summary>Later rising.</summary>
    DeclineRising,

    /// <summary>Restless nights: more night visits and more movement in bed.</summary>
    DeclineNights,
}

public static class PatternKinds
{
    public static bool IsAcute(this PatternKind kind) => kind is PatternKind.Fall or PatternKind.DoorOpenAtNight
        or PatternKind.NightExitWithoutReturn or PatternKind.NotUpInMorning;

    public static bool IsDecline(this PatternKind kind) => !kind.IsAcute();

    public static IReadOnlyList<PatternKind> Acute { get; } =
        [PatternKind.Fall, PatternKind.DoorOpenAtNight, PatternKind.NightExitWithoutReturn, PatternKind.NotUpInMorning];

    public static IReadOnlyList<PatternKind> Decline { get; } =
        [PatternKind.DeclineOutings, PatternKind.DeclinePost, PatternKind.DeclineMovement, PatternKind.DeclineRising, PatternKind.DeclineNights];
}
