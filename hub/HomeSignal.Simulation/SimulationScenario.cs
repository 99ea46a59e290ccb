using HomeSignal.Contracts.Topics;
using HomeSignal.Simulation.Context;
using HomeSignal.Simulation.Faults;
using HomeSignal.Simulation.Patterns;
using HomeSignal.Simulation.Residents;

namespace HomeSignal.Simulation;

/// <summary>
/// Everything a run depends on. The same scenario always gives byte-identical events. <see cref="Start"/> is a local
/// (Europe/Amsterdam) date; the run covers <see cref="Days"/> whole local days from its midnight.
/// </summary>
public sealed record SimulationScenario
{
    public required int Seed { get; init; }

    public required DateOnly Start { get; init; }

    public required int Days { get; init; }

    /// <summary>Pseudonymous kit id (see <see cref="KitId.IsValid"/>).</summary>
    public required string KitId { get; init; }

    public required ResidentProfile Profile { get; init; }

    public IReadOnlyList<InjectedPattern> Patterns { get; init; } = [];

    /// <summary>Faults that happen at random, at realistic rates.</summary>
    public FaultSwitches Faults { get; init; } = FaultSwitches.None;

    /// <summary>Faults at known times, on top of <see cref="Faults"/>.</summary>
    public IReadOnlyList<InjectedFault> InjectedFaults { get; init; } = [];

    /// <summary>Normal-life confounders: holidays, hospital stays, visitors, day care.</summary>
    public ConfounderSwitches Confounders { get; init; } = ConfounderSwitches.All;

    /// <summary>A scenario for a resident drawn from <paramref name="seed"/>, with a kit id derived from it.</summary>
    public static SimulationScenario Create(int seed, DateOnly start, int days) => new()
    {
        Seed = seed,
        Start = start,
        Days = days,
        KitId = KitIdFor(seed),
        Profile = ResidentProfile.Draw(seed),
    };

    /// <summary>
    /// A scenario for <paramref name="days"/> of history up to and including today (local), for a demo: run it, keep
    /// <see cref="SimulationResult.Before"/> now, and let a <see cref="Live.LiveResident"/> with the same seed and
    /// profile carry on from now.
    /// </summary>
    public static SimulationScenario History(int seed, DateTimeOffset now, int days = 56)
    {
        var today = Routines.LocalClock.DateOf(now.UtcDateTime);
        return Create(seed, today.AddDays(-days), days + 1);
    }

    /// <summary>A stable pseudonymous kit id for a seed, e.g. <c>sim-0001a2b3</c>.</summary>
    public static string KitIdFor(int seed) => $"sim-{Seeds.Mix(seed, 0x1d):x8}";

    /// <summary>Throws with a sentence naming the field when the scenario cannot be simulated.</summary>
    public void Validate()
    {
        if (Days is < 1 or > 36600)
        {
            throw new ArgumentException($"Days must be 1–36600; it is {Days}.", nameof(Days));
        }

        if (!Contracts.Topics.KitId.IsValid(KitId))
        {
            throw new ArgumentException($"KitId '{KitId}' is not a valid pseudonymous kit id (3–64 lower-case letters, digits or dashes).", nameof(KitId));
        }

        ArgumentNullException.ThrowIfNull(Profile);
        if (Profile.OutingsPerDay < 0 || Profile.NightVisitsPerNight < 0 || Profile.VisitorsPerWeek < 0 || Profile.Mobility <= 0)
        {
            throw new ArgumentException("Profile rates cannot be negative, and Mobility must be positive.", nameof(Profile));
        }

        foreach (var p in Patterns)
        {
            if (p.Kind.IsDecline() && p.RampDays < 1)
            {
                throw new ArgumentException($"Decline pattern {p.Kind} on {p.Day:yyyy-MM-dd} needs RampDays ≥ 1.", nameof(Patterns));
            }

            // A decline may have begun before the run (the resident is already declining); nothing may begin after it.
            if ((p.Kind.IsAcute() && p.Day < Start) || p.Day >= Start.AddDays(Days))
            {
                throw new ArgumentException($"Pattern {p.Kind} on {p.Day:yyyy-MM-dd} falls outside the run ({Start:yyyy-MM-dd}, {Days} days).", nameof(Patterns));
            }

            if (p.Magnitude is < 0 or > 2)
            {
                throw new ArgumentException($"Pattern {p.Kind} magnitude {p.Magnitude} is outside 0–2.", nameof(Patterns));
            }
        }
    }
}
