using HomeSignal.Contracts.Payloads;

namespace HomeSignal.Detection.History;

/// <summary>What one sensor of a resident's kit is and where it hangs. <see cref="Room"/> and <see cref="Purpose"/> are free
/// text from the installation ("bedroom", "front-door", "mailbox-flap" …); rules use <see cref="Kind"/> and the room.</summary>
public sealed record SensorInfo(string SensorId, SensorKind Kind, string Room, string? Purpose = null)
{
    /// <summary>Rooms where a resident sleeps; motion there at night is not a night visit.</summary>
    public bool IsBedroom => Room.Contains("bed", StringComparison.OrdinalIgnoreCase)
        || Room.Contains("slaap", StringComparison.OrdinalIgnoreCase);

    /// <summary>The front door: openings are outings or visitors. A door sensor on another door (balcony, back) is not.</summary>
    public bool IsFrontDoor => Kind == SensorKind.Door
        && (Purpose is null || Purpose.Contains("front", StringComparison.OrdinalIgnoreCase)
            || Purpose.Contains("voor", StringComparison.OrdinalIgnoreCase) || Purpose.Contains("entr", StringComparison.OrdinalIgnoreCase));
}

/// <summary>The sensors of one resident, by id.</summary>
public sealed class SensorMap
{
    private readonly Dictionary<string, SensorInfo> _byId;

    public SensorMap(IEnumerable<SensorInfo> sensors)
    {
        _byId = new Dictionary<string, SensorInfo>(StringComparer.Ordinal);
        foreach (var s in sensors)
        {
            _byId[s.SensorId] = s;
        }
    }

    public IReadOnlyCollection<SensorInfo> All => _byId.Values;

    public SensorInfo? Find(string sensorId) => _byId.GetValueOrDefault(sensorId);

    public IEnumerable<SensorInfo> Motion => _byId.Values.Where(s => s.Kind == SensorKind.Motion);
}
