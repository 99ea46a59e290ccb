using HomeSignal.Contracts.Payloads;
using HomeSignal.Simulation.Faults;

namespace HomeSignal.Simulation.Kits;

/// <summary>
/// Turns sensor periods into the events a kit publishes: time-ordered, one sequence number per event across boots,
/// a new boot id after every boot, and the kit clock's error (clockSynced=false) while it is wrong. Events that end
/// after a day's end wait for the next day, so the stream stays ordered across days.
/// </summary>
internal sealed class KitPublisher
{
    private readonly string _kitId;
    private readonly IReadOnlyList<SensorAssignment> _sensors;
    private readonly FaultPlan _faults;
    private readonly Random _bootIds;
    private readonly List<Pending> _pending = new(1024);
    private int _nextKitEvent;
    private long _order;
    private long _seq;
    private string _bootId = string.Empty;

    public KitPublisher(string kitId, int seed, IReadOnlyList<SensorAssignment> sensors, FaultPlan faults)
    {
        _kitId = kitId;
        _sensors = sensors;
        _faults = faults;
        _bootIds = new Random(Seeds.Mix(seed, Streams.Kit));
    }

    /// <summary>Queues a day's periods and kit events, and publishes every queued event before <paramref name="until"/>.</summary>
    public void Publish(List<SensorPeriod> periods, DateTime until, List<SensorEvent> output)
    {
        foreach (var p in periods)
        {
            var kind = _sensors[p.Sensor].Kind;
            var on = kind == SensorKind.Motion ? SensorStates.Active : SensorStates.Open;
            var off = kind == SensorKind.Motion ? SensorStates.Inactive : SensorStates.Closed;
            _pending.Add(new Pending(p.Start, _order++, p.Sensor, on, false));
            _pending.Add(new Pending(p.End, _order++, p.Sensor, off, false));
        }

        var kitEvents = _faults.KitEvents;
        while (_nextKitEvent < kitEvents.Count && kitEvents[_nextKitEvent].At < until)
        {
            var (at, state, newBoot) = kitEvents[_nextKitEvent++];
            _pending.Add(new Pending(at, _order++, -1, state, newBoot));
        }

        _pending.Sort(static (a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Order.CompareTo(b.Order));
        var released = 0;
        foreach (var e in _pending)
        {
            if (e.At >= until)
            {
                break;
            }

            released++;
            // The run's first event is a boot, so every event has a boot id.
            if (e.NewBoot)
            {
                _bootId = Seeds.BootId(_bootIds);
            }

            var offset = _faults.ClockOffsetAt(e.At);
            var sensor = e.Sensor >= 0 ? _sensors[e.Sensor] : null;
            output.Add(new SensorEvent
            {
                KitId = _kitId,
                BootId = _bootId,
                Seq = ++_seq,
                SensorId = sensor?.SensorId ?? SensorStates.KitSensorId,
                Kind = sensor?.Kind ?? SensorKind.Kit,
                State = e.State,
                Ts = new DateTimeOffset(offset is { } o ? e.At + o : e.At, TimeSpan.Zero),
                ClockSynced = offset is null,
            });
        }

        _pending.RemoveRange(0, released);
    }

    /// <summary>Drops whatever would happen after the end of the run.</summary>
    public void Discard() => _pending.Clear();

    private readonly record struct Pending(DateTime At, long Order, int Sensor, string State, bool NewBoot);
}
