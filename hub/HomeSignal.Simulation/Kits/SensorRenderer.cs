using HomeSignal.Contracts.Payloads;
using HomeSignal.Simulation.Residents;
using HomeSignal.Simulation.Routines;

namespace HomeSignal.Simulation.Kits;

/// <summary>One sensor in its active/open state from <see cref="Start"/> to <see cref="End"/>.</summary>
internal readonly record struct SensorPeriod(int Sensor, DateTime Start, DateTime End);

/// <summary>
/// What the sensors see of a day's presence: HC-SR501-style motion periods (active on movement, inactive after a hold
/// time, retriggers collapsed into one period) and contact openings. Keeps each sensor's last change across days so
/// periods never overlap.
/// </summary>
internal sealed class SensorRenderer
{
    private static readonly TimeSpan MotionBlock = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ContactBlock = TimeSpan.FromSeconds(1);

    private readonly int[] _roomSensor;
    private readonly int _door;
    private readonly int _flap;
    private readonly int _mailboxDoor;
    private readonly DateTime[] _lastEnd;
    private readonly SensorPeriod?[] _open;
    private readonly List<SensorPeriod> _raw = new(512);

    public SensorRenderer(IReadOnlyList<SensorAssignment> sensors)
    {
        Sensors = sensors;
        int IndexOf(string id) => sensors.ToList().FindIndex(s => s.SensorId == id);
        _roomSensor = Enum.GetValues<Room>().Select(r => IndexOf(SensorLayout.MotionId(r))).ToArray();
        _door = IndexOf(SensorLayout.FrontDoor);
        _flap = IndexOf(SensorLayout.MailboxFlap);
        _mailboxDoor = IndexOf(SensorLayout.MailboxDoor);
        _lastEnd = new DateTime[sensors.Count];
        _open = new SensorPeriod?[sensors.Count];
    }

    public IReadOnlyList<SensorAssignment> Sensors { get; }

    public bool IsMotion(int sensor) => Sensors[sensor].Kind == SensorKind.Motion;

    public void Render(DayPlan plan, Random rng, List<SensorPeriod> output)
    {
        _raw.Clear();
        foreach (var p in plan.Resident)
        {
            Motion(p, rng);
        }

        foreach (var p in plan.Visitor)
        {
            Motion(p, rng);
        }

        foreach (var c in plan.Contacts)
        {
            var sensor = c.Sensor switch
            {
                Contact.FrontDoor => _door,
                Contact.MailboxFlap => _flap,
                _ => _mailboxDoor,
            };
            if (sensor >= 0)
            {
                _raw.Add(new SensorPeriod(sensor, c.Open, c.Close > c.Open ? c.Close : c.Open.AddSeconds(1)));
            }
        }

        _raw.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Sensor.CompareTo(b.Sensor));
        Array.Clear(_open);
        foreach (var p in _raw)
        {
            var block = IsMotion(p.Sensor) ? MotionBlock : ContactBlock;
            if (_open[p.Sensor] is { } open)
            {
                if (p.Start <= open.End + block)
                {
                    // A retrigger: the sensor simply stays active (or open) longer.
                    if (p.End > open.End)
                    {
                        _open[p.Sensor] = open with { End = p.End };
                    }

                    continue;
                }

                Emit(open, output);
            }

            var start = p.Start;
            if (start < _lastEnd[p.Sensor] + block)
            {
                // Continues a period from the previous day; start after it rather than overlap it.
                start = _lastEnd[p.Sensor] + block;
            }

            if (p.End > start.AddSeconds(1))
            {
                _open[p.Sensor] = p with { Start = start };
            }
        }

        foreach (var open in _open)
        {
            if (open is { } o)
            {
                Emit(o, output);
            }
        }
    }

    private void Emit(SensorPeriod period, List<SensorPeriod> output)
    {
        _lastEnd[period.Sensor] = period.End;
        output.Add(period);
    }

    private void Motion(Presence p, Random rng)
    {
        var sensor = _roomSensor[(int)p.Room];
        if (sensor < 0 || p.End <= p.Start)
        {
            return;
        }

        if (p.Asleep)
        {
            // Movements in bed: a Poisson process at Level per hour, each a short period.
            var rate = Math.Max(0.01, p.Level) / 3600.0;
            var t = p.Start.AddSeconds(Exponential(rng, 1 / rate));
            for (var i = 0; i < 200 && t < p.End; i++)
            {
                var end = t.AddSeconds(5 + 25 * rng.NextDouble());
                _raw.Add(new SensorPeriod(sensor, t, end));
                t = end.AddSeconds(3 + Exponential(rng, 1 / rate));
            }

            return;
        }

        var (active, quiet) = p.Room switch
        {
            Room.Living => (50.0, 300.0),
            Room.Kitchen => (90.0, 50.0),
            Room.Bathroom => (60.0, 30.0),
            Room.Bedroom => (45.0, 120.0),
            _ => (20.0, 20.0),
        };
        var level = Math.Max(0.1, p.Level);
        var cursor = p.Start;
        var lastEnd = p.Start;
        for (var i = 0; i < 2000 && cursor < p.End; i++)
        {
            var moving = TimeSpan.FromSeconds(Math.Clamp(Exponential(rng, active * level), 8, 600));
            var stop = cursor + moving < p.End ? cursor + moving : p.End;
            var hold = TimeSpan.FromSeconds(5 + 5 * rng.NextDouble());
            _raw.Add(new SensorPeriod(sensor, cursor, stop + hold));
            lastEnd = stop + hold;
            cursor = lastEnd + MotionBlock + TimeSpan.FromSeconds(Exponential(rng, quiet / level));
        }

        if (p.End - lastEnd > TimeSpan.FromSeconds(15))
        {
            // Getting up to leave the room.
            _raw.Add(new SensorPeriod(sensor, p.End.AddSeconds(-10), p.End.AddSeconds(5 + 5 * rng.NextDouble())));
        }
    }

    private static double Exponential(Random rng, double mean) => -mean * Math.Log(1 - rng.NextDouble());
}
