using System.Device.Gpio;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Edge.Outbox;
using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Sensors;

/// <summary>Opens the configured pins, debounces each sensor, and records every change in the outbox.</summary>
public sealed class SensorBank : IDisposable
{
    private readonly GpioOptions _options;
    private readonly SimulatedGpioDriver? _simulated;
    private readonly EventRecorder _recorder;
    private readonly StatusLed _led;
    private readonly TimeProvider _time;
    private readonly ILogger<SensorBank> _logger;
    private readonly List<(SensorMonitor Monitor, PinChangeEventHandler Handler)> _monitors = [];
    private GpioController? _controller;

    public SensorBank(IOptions<GpioOptions> options, EventRecorder recorder, StatusLed led, TimeProvider time, ILogger<SensorBank> logger, SimulatedGpioDriver? simulated = null)
    {
        _options = options.Value;
        _recorder = recorder;
        _led = led;
        _time = time;
        _logger = logger;
        _simulated = simulated;
    }

    /// <summary>While on, every change also blinks the status LED and is logged, so an installer sees each sensor respond.</summary>
    public bool WalkTest { get; set; }

    public IReadOnlyList<SensorMonitor> Monitors => [.. _monitors.Select(m => m.Monitor)];

    public void Open()
    {
        var controller = _simulated is null ? new GpioController() : new GpioController(_simulated);
        _controller = controller;
        foreach (var sensor in _options.Sensors)
        {
            var pin = sensor.Pin!.Value;
            controller.OpenPin(pin, sensor.ResolvePinMode());
            // The simulated house starts quiet: doors shut, nobody moving, button up.
            _simulated?.SetLevel(pin, sensor.ResolveActiveLevel() == PinValue.High ? PinValue.Low : PinValue.High);
            var monitor = new SensorMonitor(sensor, () => controller.Read(pin), OnChange, _time);
            monitor.Start();
            PinChangeEventHandler handler = (_, _) => monitor.OnEdge();
            controller.RegisterCallbackForPinValueChangedEvent(pin, PinEventTypes.Rising | PinEventTypes.Falling, handler);
            _monitors.Add((monitor, handler));
            _logger.LogInformation("Sensor {SensorId} ({Kind}, {Room}) on GPIO{Pin}, {Pull} pull, active when {Level}.",
                sensor.Id, sensor.Kind, sensor.Room, pin, sensor.Pull, monitor.ActiveLevel == PinValue.High ? "high" : "low");
        }

        if (_options.StatusLedPin is { } ledPin)
        {
            controller.OpenPin(ledPin, PinMode.Output);
            _led.Attach(value => controller.Write(ledPin, value));
        }
    }

    public IReadOnlyList<SensorHealth> Health() => [.. _monitors.Select(m => m.Monitor.Health())];

    public void Dispose()
    {
        _led.Detach();
        foreach (var (monitor, handler) in _monitors)
        {
            _controller?.UnregisterCallbackForPinValueChangedEvent(monitor.Pin, handler);
            monitor.Dispose();
        }

        _monitors.Clear();
        _controller?.Dispose();
        _controller = null;
    }

    private void OnChange(SensorChange change)
    {
        try
        {
            _recorder.Record(change.SensorId, change.Kind, change.State, change.Ts);
        }
        catch (Exception ex)
        {
            // Called on the driver's thread: never let it throw there. A failing outbox is a disk fault the heartbeat shows.
            _logger.LogError(ex, "Could not record {SensorId} {State} in the outbox.", change.SensorId, change.State);
            return;
        }

        if (change.Kind == SensorKind.Button)
        {
            _led.Blink(3);
        }
        else if (WalkTest)
        {
            _logger.LogInformation("Walk test: {SensorId} {State}.", change.SensorId, change.State);
            _led.Blink(1);
        }
    }
}
