namespace HomeSignal.Simulation.Patterns;

/// <summary>
/// Where an injected pattern actually landed. For acute patterns <see cref="CountFrom"/> is the moment detection time
/// is measured from (the fall, the door opening, the exit, the usual wake time); for declines <see cref="Onset"/> is the
/// start of the ramp and <see cref="FullFrom"/> the day it reaches full effect.
/// </summary>
public sealed record PatternTruth(
    PatternKind Kind,
    InjectedPattern Pattern,
    bool Placed,
    DateTimeOffset Onset,
    DateTimeOffset? CountFrom,
    DateTimeOffset? FullFrom,
    DateTimeOffset? ResolvedAt,
    string Description);
