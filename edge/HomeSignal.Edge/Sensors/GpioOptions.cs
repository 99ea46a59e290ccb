using System.Device.Gpio;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Topics;
using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Sensors;

public enum GpioMode
{
    /// <summary>Real pins through the platform's GPIO driver (Raspberry Pi).</summary>
    Hardware,

    /// <summary>The <see cref="SimulatedGpioDriver"/>: for tests, demos and a walk test without hardware.</summary>
    Simulated,
}

/// <summary>The reed switch's own contact with no magnet near (the magnet sits on the moving part).</summary>
public enum ContactType
{
    /// <summary>Closed while the magnet is near, i.e. closed while the door is shut (the common reed).</summary>
    NormallyOpen,

    /// <summary>Open while the magnet is near, i.e. open while the door is shut.</summary>
    NormallyClosed,
}

public enum PullMode
{
    Up,
    Down,

    /// <summary>An external resistor sets the idle level; <see cref="SensorPinOptions.ActiveLevel"/> must then be given.</summary>
    None,
}

public enum Level
{
    Low,
    High,
}

/// <summary>Configuration section <c>Gpio</c>: the sensors on this kit, their BCM pins and electrical behaviour.</summary>
public sealed class GpioOptions
{
    public const string Section = "Gpio";

    public GpioMode Mode { get; set; } = GpioMode.Hardware;

    /// <summary>BCM pin of the status LED (optional).</summary>
    public int? StatusLedPin { get; set; }

    public List<SensorPinOptions> Sensors { get; set; } = [];

    public SimulateOptions Simulate { get; set; } = new();
}

/// <summary>One sensor: <c>Gpio:Sensors:{n}</c>.</summary>
public sealed class SensorPinOptions
{
    public string Id { get; set; } = string.Empty;

    public SensorKind? Kind { get; set; }

    /// <summary>BCM GPIO number (2–27), not the header pin number.</summary>
    public int? Pin { get; set; }

    /// <summary>For door and post-box reed contacts.</summary>
    public ContactType? Contact { get; set; }

    /// <summary>The level that means open / active / pressed; derived from <see cref="Contact"/> and <see cref="Pull"/> when not given.</summary>
    public Level? ActiveLevel { get; set; }

    public PullMode Pull { get; set; } = PullMode.Up;

    /// <summary>Edges within this window after a reported change are contact bounce; the level is re-read when it ends.</summary>
    public int DebounceMilliseconds { get; set; } = 30;

    /// <summary>Motion only: an activity period ends after this long without motion (collapses PIR retriggers).</summary>
    public int QuietSeconds { get; set; }

    public string Room { get; set; } = string.Empty;

    public string Purpose { get; set; } = string.Empty;

    /// <summary>The pin level that means open / active / pressed.</summary>
    public PinValue ResolveActiveLevel()
    {
        if (ActiveLevel is { } level)
        {
            return level == Level.High ? PinValue.High : PinValue.Low;
        }

        // A reed wired from the pin to the opposite rail of the pull resistor: a closed contact drives the pin away
        // from its pulled level. Normally-open reed + pull-up: door shut = contact closed = Low, so open = High.
        var openIsPulledLevel = Contact == ContactType.NormallyOpen;
        var pulledHigh = Pull == PullMode.Up;
        return openIsPulledLevel == pulledHigh ? PinValue.High : PinValue.Low;
    }

    public PinMode ResolvePinMode() => Pull switch
    {
        PullMode.Up => PinMode.InputPullUp,
        PullMode.Down => PinMode.InputPullDown,
        _ => PinMode.Input,
    };
}

/// <summary><c>Gpio:Simulate</c>: a steady load generator and console injection for simulated kits.</summary>
public sealed class SimulateOptions
{
    /// <summary>Toggles <see cref="LoadSensorId"/> this many times a second (0 = off); for load and crash tests.</summary>
    public double LoadEventsPerSecond { get; set; }

    public string LoadSensorId { get; set; } = "door-front";

    /// <summary>Reads lines such as <c>open door-front</c> from standard input (demos, walk test without hardware).</summary>
    public bool ConsoleInjection { get; set; }
}

internal sealed class GpioOptionsValidator : IValidateOptions<GpioOptions>
{
    private const int MinPin = 2;
    private const int MaxPin = 27;

    public ValidateOptionsResult Validate(string? name, GpioOptions options)
    {
        var errors = new List<string>();
        if (options.Sensors.Count == 0)
        {
            errors.Add("Gpio:Sensors is empty: configure at least one sensor (see edge/README.md).");
        }

        var pins = new Dictionary<int, string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (options.StatusLedPin is { } led)
        {
            if (led is < MinPin or > MaxPin)
            {
                errors.Add($"Gpio:StatusLedPin is {led}; use a BCM GPIO number from {MinPin} to {MaxPin}.");
            }

            pins[led] = "Gpio:StatusLedPin";
        }

        for (var i = 0; i < options.Sensors.Count; i++)
        {
            var s = options.Sensors[i];
            var key = $"Gpio:Sensors:{i}";
            if (!KitId.IsValidSensorId(s.Id) || s.Id == Contracts.Payloads.SensorStates.KitSensorId)
            {
                errors.Add($"{key}:Id '{s.Id}' is invalid: use 1–64 lower-case letters, digits or dashes (not 'kit').");
            }
            else if (!ids.Add(s.Id))
            {
                errors.Add($"{key}:Id '{s.Id}' is used by another sensor.");
            }

            if (s.Kind is null or SensorKind.Kit)
            {
                errors.Add($"{key}:Kind is missing or invalid: use Door, Motion, MailboxFlap, MailboxDoor or Button.");
            }

            if (s.Pin is not { } pin)
            {
                errors.Add($"{key}:Pin is missing: give the BCM GPIO number.");
            }
            else if (pin is < MinPin or > MaxPin)
            {
                errors.Add($"{key}:Pin is {pin}; use a BCM GPIO number from {MinPin} to {MaxPin}.");
            }
            else if (!pins.TryAdd(pin, $"{key}:Pin"))
            {
                errors.Add($"{key}:Pin {pin} is already used by {pins[pin]}.");
            }

            if (s.ActiveLevel is null)
            {
                if (s.Kind is SensorKind.Door or SensorKind.MailboxFlap or SensorKind.MailboxDoor)
                {
                    if (s.Contact is null)
                    {
                        errors.Add($"{key}:Contact is missing: use NormallyOpen or NormallyClosed (or give {key}:ActiveLevel).");
                    }
                    else if (s.Pull == PullMode.None)
                    {
                        errors.Add($"{key}:ActiveLevel is missing: with Pull None the level that means 'open' must be given (High or Low).");
                    }
                }
                else if (s.Kind is SensorKind.Motion or SensorKind.Button)
                {
                    errors.Add($"{key}:ActiveLevel is missing: give the level that means {(s.Kind == SensorKind.Motion ? "motion" : "pressed")} (High or Low).");
                }
            }

            if (s.DebounceMilliseconds is < 0 or > 5000)
            {
                errors.Add($"{key}:DebounceMilliseconds is {s.DebounceMilliseconds}; use 0–5000.");
            }

            if (s.QuietSeconds is < 0 or > 3600)
            {
                errors.Add($"{key}:QuietSeconds is {s.QuietSeconds}; use 0–3600.");
            }
        }

        if (options.Simulate.LoadEventsPerSecond is < 0 or > 1000 || double.IsNaN(options.Simulate.LoadEventsPerSecond))
        {
            errors.Add($"Gpio:Simulate:LoadEventsPerSecond is {options.Simulate.LoadEventsPerSecond}; use 0–1000.");
        }
        else if (options.Simulate.LoadEventsPerSecond > 0 && options.Mode != GpioMode.Simulated)
        {
            errors.Add("Gpio:Simulate:LoadEventsPerSecond needs Gpio:Mode Simulated.");
        }
        else if (options.Simulate.LoadEventsPerSecond > 0 && !ids.Contains(options.Simulate.LoadSensorId))
        {
            errors.Add($"Gpio:Simulate:LoadSensorId '{options.Simulate.LoadSensorId}' is not a configured sensor.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
