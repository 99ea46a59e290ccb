using HomeSignal.Contracts.Payloads;

namespace HomeSignal.Detection.History;

/// <summary>The part of a kit event detection needs: when, which sensor, what state. Small on purpose (a year of one
/// resident is ~100k of these).</summary>
public readonly record struct SensorReading(DateTimeOffset Ts, string SensorId, SensorKind Kind, string State)
{
    public static SensorReading From(SensorEvent e) => new(e.Ts, e.SensorId, e.Kind, e.State);

    public bool IsMotion => Kind == SensorKind.Motion && State == SensorStates.Active;

    public bool IsOpen => State == SensorStates.Open;
}
