using HomeSignal.Contracts.Payloads;
using HomeSignal.Detection.History;
using HomeSignal.Simulation;
using Sim = HomeSignal.Simulation;

namespace HomeSignal.Evaluation.Evaluation;

/// <summary>What detection may know of a simulated resident: the sensor map, the events, the hub's view of kit
/// connectivity, and only the context periods someone actually entered. The truth stays with the scorer.</summary>
public static class SimulationAdapter
{
    public static SensorMap Sensors(IReadOnlyList<SensorAssignment> sensors) =>
        new(sensors);

    public static List<OfflineInterval> Offline(SimulationStream stream) =>
        stream.KitOffline.Select(o => new OfflineInterval(o.Start, o.End)).ToList();

    public static IEnumerable<SensorReading> Readings(IEnumerable<SensorEvent> events) =>
        events.Where(e => e.Kind != SensorKind.Kit).Select(SensorReading.From);

    public static ContextPeriod? Entered(Sim.Context.ContextPeriod c) => c.Entered
        ? new ContextPeriod(c.Kind switch
        {
            Sim.Context.ContextKind.Holiday => ContextKind.Holiday,
            Sim.Context.ContextKind.Hospital => ContextKind.Hospital,
            _ => ContextKind.DayCare,
        }, c.Start, c.End)
        : null;
}
