using HomeSignal.Contracts.Payloads;
using HomeSignal.Simulation.Context;
using HomeSignal.Simulation.Patterns;
using HomeSignal.Simulation.Residents;
using HomeSignal.Simulation.Routines;

namespace HomeSignal.Simulation.Live;

/// <summary>A change a simulated kit should report: which sensor, which state, and when (UTC).</summary>
public sealed record SensorChange(DateTimeOffset At, string SensorId, SensorKind Kind, string State);

/// <summary>
/// A resident living in real (or accelerated) time, for the demo: ask <see cref="TakeDue"/> what changed up to now
/// and <see cref="NextAt"/> when to ask again, then feed the changes to a simulated kit, which adds its own boot id
/// and sequence numbers. Days are generated lazily from the same per-day random streams as
/// <see cref="ResidentSimulator"/>, so a resident with the same seed and profile continues a backfilled history in
/// the same rhythm. Not thread-safe: one caller drives it.
/// </summary>
public sealed class LiveResident : IDisposable
{
    private readonly TimeProvider _time;
    private readonly IEnumerator<SimulatedDay> _days;
    private readonly Queue<SensorChange> _buffer = new();
    private bool _finished;
    private DateTimeOffset _bufferedUntil = DateTimeOffset.MinValue;

    /// <param name="seed">Drives the routine; the same seed as a backfill run gives the same days.</param>
    /// <param name="patterns">Patterns to play live, e.g. a fall later today, or a decline begun in the history; dates are local.</param>
    public LiveResident(ResidentProfile profile, int seed, TimeProvider time, IReadOnlyList<InjectedPattern>? patterns = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        var now = time.GetUtcNow();
        var today = LocalClock.DateOf(now.UtcDateTime);
        var scenario = new SimulationScenario
        {
            Seed = seed,
            // Start the day before so the resident-day running now (which may have begun yesterday) is complete.
            Start = today.AddDays(-1),
            Days = 36500,
            KitId = SimulationScenario.KitIdFor(seed),
            Profile = profile,
            // Acute patterns already in the past are history; declines carry on.
            Patterns = (patterns ?? []).Where(p => p.Kind.IsDecline() || p.Day >= today.AddDays(-1)).ToList(),
            // A live demo resident stays at home: no weeks-long holidays or hospital stays out of the blue.
            Confounders = ConfounderSwitches.All with { Holidays = false, HospitalStays = false },
        };
        var stream = ResidentSimulator.Stream(scenario);
        Sensors = stream.Sensors;
        _days = stream.GetEnumerator();
        Since = now;
        Fill(now);
        while (_buffer.Count > 0 && _buffer.Peek().At <= now)
        {
            _buffer.Dequeue();
        }
    }

    public IReadOnlyList<SensorAssignment> Sensors { get; }

    /// <summary>When the resident started living: changes before it are never returned.</summary>
    public DateTimeOffset Since { get; }

    /// <summary>The time of the next change, or null if the resident's run has ended.</summary>
    public DateTimeOffset? NextAt
    {
        get
        {
            Fill(_time.GetUtcNow());
            return _buffer.Count > 0 ? _buffer.Peek().At : null;
        }
    }

    /// <summary>Every change up to now that has not been returned before, in order.</summary>
    public IReadOnlyList<SensorChange> TakeDue()
    {
        var now = _time.GetUtcNow();
        var due = new List<SensorChange>();
        Fill(now);
        while (_buffer.Count > 0 && _buffer.Peek().At <= now)
        {
            due.Add(_buffer.Dequeue());
            if (_buffer.Count == 0)
            {
                Fill(now);
            }
        }

        return due;
    }

    public void Dispose() => _days.Dispose();

    /// <summary>Generates days until the buffer reaches past <paramref name="now"/> and holds at least one change.</summary>
    private void Fill(DateTimeOffset now)
    {
        while (!_finished && (_buffer.Count == 0 || _bufferedUntil <= now))
        {
            if (!_days.MoveNext())
            {
                _finished = true;
                return;
            }

            foreach (var e in _days.Current.Events)
            {
                if (e.Kind != SensorKind.Kit)
                {
                    _buffer.Enqueue(new SensorChange(e.Ts, e.SensorId, e.Kind, e.State));
                    _bufferedUntil = e.Ts;
                }
            }
        }
    }
}
