using System.Device.Gpio;

namespace HomeSignal.Edge.Sensors;

/// <summary>
/// A GPIO driver with no hardware behind it: input pins idle at their pull level, and <see cref="SetLevel"/> moves a
/// pin and raises the edge callbacks the way a real driver does. Used by tests, demos and simulate mode.
/// </summary>
public sealed class SimulatedGpioDriver : GpioDriver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, PinState> _pins = [];

    protected override int PinCount => 28;

    /// <summary>Moves a pin to <paramref name="value"/>; raises Rising/Falling callbacks when the level changes.</summary>
    public void SetLevel(int pin, PinValue value)
    {
        List<(PinChangeEventHandler Handler, PinEventTypes Types)> handlers;
        PinEventTypes change;
        lock (_gate)
        {
            var state = Get(pin);
            if (state.Value == value)
            {
                return;
            }

            state.Value = value;
            change = value == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
            handlers = [.. state.Callbacks];
        }

        var args = new PinValueChangedEventArgs(change, pin);
        foreach (var (handler, types) in handlers)
        {
            if ((types & change) != 0)
            {
                handler(this, args);
            }
        }
    }

    public PinValue GetLevel(int pin)
    {
        lock (_gate)
        {
            return Get(pin).Value;
        }
    }

    protected override void OpenPin(int pinNumber)
    {
        lock (_gate)
        {
            Get(pinNumber);
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_gate)
        {
            _pins.Remove(pinNumber);
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_gate)
        {
            var state = Get(pinNumber);
            state.Mode = mode;
            state.Value = mode switch
            {
                PinMode.InputPullUp => PinValue.High,
                PinMode.InputPullDown => PinValue.Low,
                _ => state.Value,
            };
        }
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_gate)
        {
            return Get(pinNumber).Mode;
        }
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) =>
        mode is PinMode.Input or PinMode.InputPullUp or PinMode.InputPullDown or PinMode.Output;

    protected override PinValue Read(int pinNumber) => GetLevel(pinNumber);

    protected override void Write(int pinNumber, PinValue value) => SetLevel(pinNumber, value);

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The simulated driver raises callbacks; blocking waits are not used by the kit.");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            Get(pinNumber).Callbacks.Add((callback, eventTypes));
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            Get(pinNumber).Callbacks.RemoveAll(c => c.Handler == callback);
        }
    }

    private PinState Get(int pin)
    {
        if (!_pins.TryGetValue(pin, out var state))
        {
            state = new PinState();
            _pins[pin] = state;
        }

        return state;
    }

    private sealed class PinState
    {
        public PinMode Mode { get; set; } = PinMode.Input;

        public PinValue Value { get; set; } = PinValue.Low;

        public List<(PinChangeEventHandler Handler, PinEventTypes Types)> Callbacks { get; } = [];
    }
}
