using System.Device.Gpio;

namespace HomeSignal.Edge.Sensors;

/// <summary>
/// The kit's status LED: steady on while the hub link is up and nothing is wrong, off otherwise; blinks to confirm an
/// "alles goed" press, a walk-test change, or to let an installer find the kit (identify command).
/// </summary>
public sealed class StatusLed : IDisposable
{
    private static readonly TimeSpan BlinkHalfPeriod = TimeSpan.FromMilliseconds(150);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private Action<PinValue>? _write;
    private ITimer? _timer;
    private bool _healthy;
    private int _togglesLeft;
    private bool _lit;

    public StatusLed(TimeProvider time) => _time = time;

    public void Attach(Action<PinValue> write)
    {
        lock (_gate)
        {
            _write = write;
            Apply(_healthy);
        }
    }

    public void Detach()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
            _write = null;
        }
    }

    public void SetHealthy(bool healthy)
    {
        lock (_gate)
        {
            _healthy = healthy;
            if (_timer is null)
            {
                Apply(healthy);
            }
        }
    }

    public void Blink(int times)
    {
        lock (_gate)
        {
            if (_write is null)
            {
                return;
            }

            _togglesLeft = times * 2;
            _timer ??= _time.CreateTimer(_ => Step(), null, TimeSpan.Zero, BlinkHalfPeriod);
        }
    }

    public void Dispose() => Detach();

    private void Step()
    {
        lock (_gate)
        {
            if (_togglesLeft-- <= 0)
            {
                _timer?.Dispose();
                _timer = null;
                Apply(_healthy);
                return;
            }

            Apply(!_lit);
        }
    }

    private void Apply(bool on)
    {
        _lit = on;
        _write?.Invoke(on ? PinValue.High : PinValue.Low);
    }
}
