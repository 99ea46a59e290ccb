namespace HomeSignal.Simulation.Context;

public enum ContextKind
{
    Holiday,
    Hospital,
    DayCare,
}

/// <summary>
/// A period a care worker would enter in the context calendar. <see cref="Entered"/> says whether it was actually
/// entered (people forget: holidays ~80%, hospital stays ~70%, day care ~90%); the period is true either way.
/// </summary>
public sealed record ContextPeriod(ContextKind Kind, DateTimeOffset Start, DateTimeOffset End, bool Entered);

/// <summary>A true visitor period: from the visitor's arrival at the door to their leaving.</summary>
public sealed record VisitorPeriod(DateTimeOffset Start, DateTimeOffset End);

/// <summary>Which ordinary-life confounders the simulated resident has.</summary>
public sealed record ConfounderSwitches
{
    public bool Holidays { get; init; } = true;

    public bool HospitalStays { get; init; } = true;

    public bool Visitors { get; init; } = true;

    public bool DayCare { get; init; } = true;

    public static ConfounderSwitches All { get; } = new();

    public static ConfounderSwitches None { get; } = new() { Holidays = false, HospitalStays = false, Visitors = false, DayCare = false };
}
