using HomeSignal.Contracts.Payloads;
using HomeSignal.Simulation.Kits;
using HomeSignal.Simulation.Routines;

namespace HomeSignal.Simulation.Faults;

/// <summary>
/// The faults of one run, planned up front from the scenario's own random stream (so switching faults on or off never
/// changes the resident's routine), and applied to each day's sensor periods.
/// </summary>
internal sealed class FaultPlan
{
    private const double SingleDropoutChance = 0.005;

    private readonly int _seed;
    private readonly bool _randomDropouts;
    private readonly IReadOnlyList<SensorAssignment> _sensors;
    private readonly List<(int Sensor, DateTime Start, DateTime End, FaultKind Kind)> _sensorFaults = [];
    private readonly List<(DateTime Start, DateTime End)> _down = [];
    private readonly List<(DateTime Start, DateTime End, TimeSpan Offset)> _clock = [];

    private FaultPlan(int seed, bool randomDropouts, IReadOnlyList<SensorAssignment> sensors)
    {
        _seed = seed;
        _randomDropouts = randomDropouts;
        _sensors = sensors;
    }

    public List<FaultEpisode> Episodes { get; } = [];

    public List<KitOfflineInterval> Offline { get; } = [];

    /// <summary>Kit lifecycle events: when, which state, and whether a new boot id starts there.</summary>
    public List<(DateTime At, string State, bool NewBoot)> KitEvents { get; } = [];

    public static FaultPlan Create(SimulationScenario scenario, IReadOnlyList<SensorAssignment> sensors, DateTime runStart, DateTime runEnd)
    {
        var switches = scenario.Faults;
        var plan = new FaultPlan(scenario.Seed, switches.PirDropouts, sensors);
        var rng = new Random(Seeds.Mix(scenario.Seed, Streams.Faults));
        var span = runEnd - runStart;
        var years = span.TotalDays / 365.25;
        var motion = Enumerable.Range(0, sensors.Count).Where(i => sensors[i].Kind == SensorKind.Motion).ToList();
        DateTime RandomTime() => runStart + span * rng.NextDouble();
        TimeSpan LogUniform(TimeSpan min, TimeSpan max) =>
            TimeSpan.FromSeconds(Math.Exp(Math.Log(min.TotalSeconds) + (Math.Log(max.TotalSeconds) - Math.Log(min.TotalSeconds)) * rng.NextDouble()));

        var faults = scenario.InjectedFaults.Select(f => (f.Kind, Start: f.Start.UtcDateTime, f.Duration, f.SensorId, f.ClockOffset)).ToList();
        if (switches.PirDropouts)
        {
            foreach (var m in motion)
            {
                var count = LifeCalendar.Poisson(rng, span.TotalDays / 60);
                for (var i = 0; i < count; i++)
                {
                    faults.Add((FaultKind.PirDropout, RandomTime(), TimeSpan.FromHours(1 + 7 * rng.NextDouble()), sensors[m].SensorId, null));
                }
            }
        }

        if (switches.DeadSensors)
        {
            var count = LifeCalendar.Poisson(rng, 1.5 * years);
            for (var i = 0; i < count; i++)
            {
                faults.Add((FaultKind.DeadSensor, RandomTime(), TimeSpan.FromDays(2 + 12 * rng.NextDouble()), sensors[rng.Next(sensors.Count)].SensorId, null));
            }
        }

        if (switches.StuckSensors && motion.Count > 0)
        {
            var count = LifeCalendar.Poisson(rng, years);
            for (var i = 0; i < count; i++)
            {
                faults.Add((FaultKind.StuckSensor, RandomTime(), TimeSpan.FromDays(1 + 4 * rng.NextDouble()), sensors[motion[rng.Next(motion.Count)]].SensorId, null));
            }
        }

        if (switches.KitOutages)
        {
            for (var i = LifeCalendar.Poisson(rng, 4 * years); i > 0; i--)
            {
                faults.Add((FaultKind.PowerOutage, RandomTime(), LogUniform(TimeSpan.FromMinutes(5), TimeSpan.FromHours(12)), null, null));
            }

            for (var i = LifeCalendar.Poisson(rng, 6 * years); i > 0; i--)
            {
                faults.Add((FaultKind.NetworkOutage, RandomTime(), LogUniform(TimeSpan.FromMinutes(10), TimeSpan.FromDays(3)), null, null));
            }

            for (var i = LifeCalendar.Poisson(rng, 12 * years); i > 0; i--)
            {
                faults.Add((FaultKind.Reboot, RandomTime(), TimeSpan.FromSeconds(60 + 60 * rng.NextDouble()), null, null));
            }
        }

        if (switches.ClockJumps)
        {
            for (var i = LifeCalendar.Poisson(rng, 2 * years); i > 0; i--)
            {
                var offset = TimeSpan.FromMinutes((rng.NextDouble() < 0.5 ? -1 : 1) * (5 + 175 * rng.NextDouble()));
                faults.Add((FaultKind.ClockJump, RandomTime(), TimeSpan.FromHours(1 + 11 * rng.NextDouble()), null, offset));
            }
        }

        plan.KitEvents.Add((runStart, SensorStates.Boot, true));
        foreach (var f in faults.OrderBy(f => f.Start).ThenBy(f => f.Kind))
        {
            var end = f.Start + f.Duration;
            if (f.Start < runStart || f.Start >= runEnd || f.Duration <= TimeSpan.Zero)
            {
                continue;
            }

            plan.Add(f.Kind, f.SensorId, f.Start, end, f.ClockOffset, switches.ClockJumps, rng);
        }

        plan.KitEvents.Sort((a, b) => a.At.CompareTo(b.At));
        return plan;
    }

    private void Add(FaultKind kind, string? sensorId, DateTime start, DateTime end, TimeSpan? offset, bool clockAfterPower, Random rng)
    {
        switch (kind)
        {
            case FaultKind.PirDropout or FaultKind.DeadSensor or FaultKind.StuckSensor:
                var sensor = _sensors.ToList().FindIndex(s => s.SensorId == sensorId);
                if (sensor < 0)
                {
                    throw new ArgumentException($"Fault {kind} names sensor '{sensorId}', which this kit does not have.");
                }

                _sensorFaults.Add((sensor, start, end, kind));
                Episodes.Add(new FaultEpisode(kind, sensorId, At(start), At(end)));
                break;

            case FaultKind.PowerOutage or FaultKind.Reboot:
                if (_down.Any(d => d.Start <= end && d.End >= start))
                {
                    return;
                }

                _down.Add((start, end));
                Episodes.Add(new FaultEpisode(kind, null, At(start), At(end)));
                Offline.Add(new KitOfflineInterval(At(start), At(end.AddSeconds(30)), kind));
                KitEvents.Add((end, SensorStates.Boot, true));
                if (kind == FaultKind.PowerOutage)
                {
                    KitEvents.Add((end, SensorStates.PowerRestored, false));
                    if (offset is null && clockAfterPower && rng.NextDouble() < 0.5)
                    {
                        // Without a real-time clock the Pi restarts at the time it lost power, until NTP syncs.
                        AddClock(end, end.AddMinutes(1 + 19 * rng.NextDouble()), start - end);
                    }
                }

                if (offset is { } explicitOffset)
                {
                    AddClock(end, end.AddMinutes(10), explicitOffset);
                }

                break;

            case FaultKind.NetworkOutage:
                Episodes.Add(new FaultEpisode(kind, null, At(start), At(end)));
                Offline.Add(new KitOfflineInterval(At(start), At(end), kind));
                break;

            case FaultKind.ClockJump:
                if (_clock.Any(c => c.Start <= end && c.End >= start))
                {
                    return;
                }

                AddClock(start, end, offset ?? TimeSpan.FromHours(-1));
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown fault kind.");
        }
    }

    private void AddClock(DateTime start, DateTime end, TimeSpan offset)
    {
        _clock.Add((start, end, offset));
        Episodes.Add(new FaultEpisode(FaultKind.ClockJump, null, At(start), At(end), offset));
        KitEvents.Add((start, SensorStates.ClockUnsynchronised, false));
    }

    /// <summary>The kit clock's error at a true instant (zero when synchronised).</summary>
    public TimeSpan? ClockOffsetAt(DateTime t)
    {
        foreach (var c in _clock)
        {
            if (t >= c.Start && t < c.End)
            {
                return c.Offset;
            }
        }

        return null;
    }

    /// <summary>Removes what faults hide from one day's periods and adds what stuck sensors report.</summary>
    public void Apply(List<SensorPeriod> periods, DateTime dayStart, DateTime dayEnd, DateOnly date)
    {
        if (_sensorFaults.Count == 0 && _down.Count == 0 && !_randomDropouts)
        {
            return;
        }

        foreach (var f in _sensorFaults)
        {
            if (f.Kind == FaultKind.StuckSensor && f.Start >= dayStart && f.Start < dayEnd)
            {
                periods.RemoveAll(p => p.Sensor == f.Sensor && p.Start <= f.End && p.End >= f.Start);
                periods.Add(new SensorPeriod(f.Sensor, f.Start, f.End));
            }
        }

        var rng = _randomDropouts ? Seeds.ForDay(_seed, date, Streams.Faults) : null;
        periods.RemoveAll(p =>
        {
            foreach (var f in _sensorFaults)
            {
                if (f.Sensor == p.Sensor && p.Start <= f.End && p.End >= f.Start && !(f.Kind == FaultKind.StuckSensor && p.Start == f.Start && p.End == f.End))
                {
                    return true;
                }
            }

            foreach (var d in _down)
            {
                if (p.Start <= d.End && p.End >= d.Start)
                {
                    return true;
                }
            }

            return rng is not null && _sensors[p.Sensor].Kind == SensorKind.Motion && rng.NextDouble() < SingleDropoutChance;
        });
    }

    private static DateTimeOffset At(DateTime utc) => new(utc, TimeSpan.Zero);
}
