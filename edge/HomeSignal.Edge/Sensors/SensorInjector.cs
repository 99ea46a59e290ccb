using System.Device.Gpio;
using HomeSignal.Contracts.Payloads;
using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Sensors;

/// <summary>
/// Moves simulated pins as a real sensor would (only with <c>Gpio:Mode</c> Simulated): the change runs through the same
/// debouncing and outbox as hardware. Resolve it from the host's services: <c>host.Services.GetRequiredService&lt;SensorInjector&gt;()</c>.
/// </summary>
public sealed class SensorInjector
{
    private readonly SimulatedGpioDriver? _driver;
    private readonly Dictionary<string, SensorPinOptions> _sensors;

    public SensorInjector(IOptions<GpioOptions> options, SimulatedGpioDriver? driver = null)
    {
        _driver = driver;
        _sensors = options.Value.Sensors.Where(s => !string.IsNullOrEmpty(s.Id)).ToDictionary(s => s.Id, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> SensorIds => _sensors.Keys;

    /// <summary>Door or post-box part opens.</summary>
    public void Open(string sensorId) => Set(sensorId, active: true, SensorKind.Door, SensorKind.MailboxFlap, SensorKind.MailboxDoor);

    public void Close(string sensorId) => Set(sensorId, active: false, SensorKind.Door, SensorKind.MailboxFlap, SensorKind.MailboxDoor);

    /// <summary>A PIR pulse: the output goes high and low again; the activity period ends after the sensor's quiet time.</summary>
    public void Motion(string sensorId)
    {
        Set(sensorId, active: true, SensorKind.Motion);
        Set(sensorId, active: false, SensorKind.Motion);
    }

    /// <summary>Holds a PIR output high (true) or low (false), e.g. to model someone moving about for a while.</summary>
    public void SetMotion(string sensorId, bool active) => Set(sensorId, active, SensorKind.Motion);

    /// <summary>A press and release of the "alles goed" button.</summary>
    public void Press(string sensorId)
    {
        Set(sensorId, active: true, SensorKind.Button);
        Set(sensorId, active: false, SensorKind.Button);
    }

    /// <summary>Drives the sensor's pin to its active (open / motion / pressed) or idle level.</summary>
    public void Set(string sensorId, bool active, params SensorKind[] expected)
    {
        if (_driver is null)
        {
            throw new InvalidOperationException("Sensor injection needs Gpio:Mode Simulated; on hardware, trigger the real sensor.");
        }

        if (!_sensors.TryGetValue(sensorId, out var sensor))
        {
            throw new ArgumentException($"No sensor '{sensorId}' is configured; known: {string.Join(", ", _sensors.Keys)}.", nameof(sensorId));
        }

        if (expected.Length > 0 && !expected.Contains(sensor.Kind!.Value))
        {
            throw new ArgumentException($"Sensor '{sensorId}' is a {sensor.Kind} sensor, not {string.Join(" or ", expected)}.", nameof(sensorId));
        }

        var activeLevel = sensor.ResolveActiveLevel();
        var level = active ? activeLevel : (activeLevel == PinValue.High ? PinValue.Low : PinValue.High);
        _driver.SetLevel(sensor.Pin!.Value, level);
    }
}
