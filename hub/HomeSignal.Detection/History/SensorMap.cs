using HomeSignal.Contracts.Payloads;

namespace HomeSignal.Detection.History;

/// <summary>What rules need to know about a sensor of the contract's <see cref="SensorAssignment"/> (id, kind, room,
/// purpose as installed): whether it is in the bedroom (motion there at night is not a night visit) and whether it is
/// the front door (openings are outings or visitors; a balcony door is not).</summary>
public static class SensorRoles
{
    extension(SensorAssignment sensor)
    {
        public bool IsBedroom => sensor.Room.Contains("bed", StringComparison.OrdinalIgnoreCase)
            || sensor.Room.Contains("slaap", StringComparison.OrdinalIgnoreCase);

        public bool IsFrontDoor => sensor.Kind == SensorKind.Door
            && (string.IsNullOrEmpty(sensor.Purpose) || sensor.Purpose.Contains("front", StringComparison.OrdinalIgnoreCase)
                || sensor.Purpose.Contains("voor", StringComparison.OrdinalIgnoreCase)
                || sensor.Purpose.Contains("entr", StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>The sensors of one resident, by id.</summary>
public sealed class SensorMap
{
    private readonly Dictionary<string, SensorAssignment> _byId;

    public SensorMap(IEnumerable<SensorAssignment> sensors)
    {
        _byId = new Dictionary<string, SensorAssignment>(StringComparer.Ordinal);
        foreach (var s in sensors)
        {
            _byId[s.SensorId] = s;
        }
    }

    public IReadOnlyCollection<SensorAssignment> All => _byId.Values;

    public SensorAssignment? Find(string sensorId) => _byId.GetValueOrDefault(sensorId);

    public IEnumerable<SensorAssignment> Motion => _byId.Values.Where(s => s.Kind == SensorKind.Motion);
}
