using System.Device.Gpio;
using HomeSignal.Contracts.Payloads;

namespace HomeSignal.Edge.Sensors;

/// <summary>A debounced change of one sensor, ready to become an event.</summary>
public sealed record SensorChange(string SensorId, SensorKind Kind, string State, DateTimeOffset Ts);

/// <summary>
/// Debounces one input pin. The first edge after a quiet spell is reported at once (so a real open/close pair that is
/// shorter than the debounce window still yields both halves); edges inside the window that follows are treated as bounce,
/// and when the window ends the pin is read again and any difference is reported. Motion sensors additionally hold
/// "active" until the pin has been quiet for <see cref="SensorPinOptions.QuietSeconds"/>, which folds a PIR's retriggers
/// into one activity period.
/// </summary>
public sealed class SensorMonitor : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Func<PinValue> _read;
    private readonly Action<SensorChange> _report;
    private readonly TimeProvider _time;
    private readonly PinValue _activeLevel;
    private readonly TimeSpan _debounce;
    private readonly TimeSpan _quiet;
    private ITimer? _lockout;
    private DateTimeOffset _lockoutUntil;
    private int _lockoutGeneration;
    private PinValue _lastLevel;
    private ITimer? _release;
    private DateTimeOffset _releaseSince;
    private bool _active;
    private DateTimeOffset? _lastChange;

    public SensorMonitor(SensorPinOptions options, Func<PinValue> read, Action<SensorChange> report, TimeProvider time)
    {
        Id = options.Id;
        Kind = options.Kind ?? throw new ArgumentException("The sensor kind is required.", nameof(options));
        Pin = options.Pin ?? throw new ArgumentException("The sensor pin is required.", nameof(options));
        _read = read;
        _report = report;
        _time = time;
        _activeLevel = options.ResolveActiveLevel();
        _debounce = TimeSpan.FromMilliseconds(options.DebounceMilliseconds);
        _quiet = Kind == SensorKind.Motion ? TimeSpan.FromSeconds(options.QuietSeconds) : TimeSpan.Zero;
    }

    public string Id { get; }

    public SensorKind Kind { get; }

    public int Pin { get; }

    /// <summary>The level that means open / active / pressed.</summary>
    public PinValue ActiveLevel => _activeLevel;

    /// <summary>Takes the pin's current level as the starting state (not reported: the heartbeat carries it).</summary>
    public void Start()
    {
        lock (_gate)
        {
            _lastLevel = _read();
            _active = _lastLevel == _activeLevel;
        }
    }

    /// <summary>Called for every raw edge from the driver.</summary>
    public void OnEdge()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            // On a busy machine the lockout timer can fire late. Settle an overdue window first, with the level the pin
            // had before this edge, so a real change in between is not swallowed.
            while (_lockout is not null && now >= _lockoutUntil)
            {
                EndLockout();
                Evaluate(_lastLevel, _lockoutUntil);
            }

            _lastLevel = _read();
            if (_lockout is null)
            {
                Evaluate(_lastLevel, now);
            }
        }
    }

    public SensorHealth Health()
    {
        lock (_gate)
        {
            var state = Kind == SensorKind.Button && !_active ? null : StateName(_active);
            return new SensorHealth { SensorId = Id, Kind = Kind, State = state, LastChange = _lastChange };
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _lockout?.Dispose();
            _release?.Dispose();
            _lockout = null;
            _release = null;
        }
    }

    private void Evaluate(PinValue level, DateTimeOffset at)
    {
        var active = level == _activeLevel;
        if (active == _active)
        {
            // Back to the reported state: bounce, or a PIR retrigger inside the quiet period.
            CancelRelease();
            return;
        }

        if (active || _quiet == TimeSpan.Zero)
        {
            CancelRelease();
            Report(active, at);
            return;
        }

        if (_release is null)
        {
            _releaseSince = at;
            _release = _time.CreateTimer(_ => OnReleaseDue(), null, _quiet, Timeout.InfiniteTimeSpan);
        }
    }

    private void Report(bool active, DateTimeOffset at)
    {
        _active = active;
        _lastChange = at;
        EndLockout();
        if (_debounce > TimeSpan.Zero)
        {
            _lockoutUntil = at + _debounce;
            var generation = ++_lockoutGeneration;
            var due = _lockoutUntil - _time.GetUtcNow();
            _lockout = _time.CreateTimer(_ => OnLockoutEnd(generation), null, due > TimeSpan.Zero ? due : TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
        }

        // A button reports presses only; its release just re-arms it.
        if (Kind != SensorKind.Button || active)
        {
            _report(new SensorChange(Id, Kind, StateName(active), at));
        }
    }

    private void OnLockoutEnd(int generation)
    {
        lock (_gate)
        {
            // A stale timer (its window was already settled by a late edge) must not end a newer window.
            if (_lockout is null || generation != _lockoutGeneration)
            {
                return;
            }

            EndLockout();
            _lastLevel = _read();
            Evaluate(_lastLevel, _time.GetUtcNow());
        }
    }

    private void EndLockout()
    {
        _lockout?.Dispose();
        _lockout = null;
    }

    private void OnReleaseDue()
    {
        lock (_gate)
        {
            if (_release is null)
            {
                return;
            }

            CancelRelease();
            if (_active && _read() != _activeLevel)
            {
                Report(false, _releaseSince);
            }
        }
    }

    private void CancelRelease()
    {
        _release?.Dispose();
        _release = null;
    }

    private string StateName(bool active) => Kind switch
    {
        SensorKind.Motion => active ? SensorStates.Active : SensorStates.Inactive,
        SensorKind.Button => active ? SensorStates.Pressed : "released",
        _ => active ? SensorStates.Open : SensorStates.Closed,
    };
}
