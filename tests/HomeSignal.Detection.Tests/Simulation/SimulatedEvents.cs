using HomeSignal.Contracts.Payloads;
using HomeSignal.Simulation;
using HomeSignal.Simulation.Kits;

namespace HomeSignal.Detection.Tests.Simulation;

/// <summary>Small readings of a simulated event list, the way a detector would look at it.</summary>
internal static class SimulatedEvents
{
    public static TimeZoneInfo Amsterdam { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public static DateTime Local(DateTimeOffset ts) => TimeZoneInfo.ConvertTime(ts, Amsterdam).DateTime;

    public static bool IsMotionStart(this SensorEvent e) => e.Kind == SensorKind.Motion && e.State == SensorStates.Active;

    public static bool IsDoorOpen(this SensorEvent e) => e.SensorId == SensorLayout.FrontDoor && e.State == SensorStates.Open;

    /// <summary>
    /// Outings as a detector sees them: the front door opens and closes, and no motion starts inside until the door
    /// opens again (at least 10 minutes later). Keyed by the local date the outing started.
    /// </summary>
    public static Dictionary<DateOnly, int> OutingsPerDay(IReadOnlyList<SensorEvent> events)
    {
        var result = new Dictionary<DateOnly, int>();
        DateTimeOffset? leftAt = null;
        foreach (var e in events)
        {
            if (e.IsDoorOpen())
            {
                if (leftAt is { } left && e.Ts - left >= TimeSpan.FromMinutes(10))
                {
                    var date = DateOnly.FromDateTime(Local(left));
                    result[date] = result.GetValueOrDefault(date) + 1;
                }

                leftAt = null;
            }
            else if (e.SensorId == SensorLayout.FrontDoor && e.State == SensorStates.Closed)
            {
                leftAt = e.Ts;
            }
            else if (e.IsMotionStart() && leftAt is { } closed && e.Ts - closed > TimeSpan.FromSeconds(30))
            {
                leftAt = null;
            }
        }

        return result;
    }

    public static IEnumerable<SensorEvent> Between(this IEnumerable<SensorEvent> events, DateTimeOffset from, DateTimeOffset to) =>
        events.Where(e => e.Ts >= from && e.Ts < to);

    public static SimulationScenario Quiet(int seed, DateOnly start, int days) =>
        SimulationScenario.Create(seed, start, days) with { Confounders = HomeSignal.Simulation.Context.ConfounderSwitches.None };
}
