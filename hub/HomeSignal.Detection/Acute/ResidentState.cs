using HomeSignal.Contracts.Payloads;
using HomeSignal.Detection.Baselines;
using HomeSignal.Detection.Features;
using HomeSignal.Detection.History;
using HomeSignal.Detection.Labels;

namespace HomeSignal.Detection.Acute;

/// <summary>What the acute engine knows about one resident at the latest instant it was told about: presence, the last
/// activity, today's rising, tonight's visits, each sensor's last report and the kit's connection. Fed event by event
/// (<see cref="Apply"/>) in time order; the nightly pass replaces <see cref="Baseline"/>.</summary>
public sealed class ResidentState
{
    private readonly Dictionary<string, SensorTrack> _tracks = new(StringComparer.Ordinal);
    private readonly List<(DateTimeOffset At, bool Bedroom)> _morningMotion = [];
    private long _motionTotal;
    private long _visitTotal;
    private string? _lastMotionSensor;
    private DateTimeOffset? _clockAt;

    public ResidentState(string residentId, SensorMap sensors, DetectionOptions options)
    {
        ResidentId = residentId;
        Sensors = sensors;
        Options = options;
        Presence = new PresenceTracker(options.Features.ExitConfirm);
        Baseline = ResidentBaseline.Prior(options.Baselines);
        foreach (var s in sensors.All)
        {
            _tracks[s.SensorId] = new SensorTrack(s);
        }
    }

    public string ResidentId { get; }

    public SensorMap Sensors { get; }

    public DetectionOptions Options { get; }

    public ResidentBaseline Baseline { get; set; }

    public LabelAdjustments Labels { get; set; } = LabelAdjustments.None;

    /// <summary>Entered context (holiday, hospital, day care, visits, life events).</summary>
    public List<ContextPeriod> Context { get; } = [];

    public PresenceTracker Presence { get; }

    public DateTimeOffset? MonitoringSince { get; private set; }

    /// <summary>When the resident last came home after being away.</summary>
    public DateTimeOffset? LastReturn { get; private set; }

    public DateTimeOffset? LastReading { get; private set; }

    /// <summary>The last motion or front-door event (activity evidence).</summary>
    public DateTimeOffset? LastEvidence { get; private set; }

    public string? LastEvidenceSensor { get; private set; }

    /// <summary>When the kit went silent (no heartbeat); null while online.</summary>
    public DateTimeOffset? KitOfflineSince { get; private set; }

    /// <summary>When the kit last came back after being offline: gaps are not counted across an outage.</summary>
    public DateTimeOffset? KitBackAt { get; private set; }

    public DateOnly MorningDate { get; private set; }

    public DateOnly NightDate { get; private set; }

    public int NightVisits { get; private set; }

    public DateTimeOffset? LastNightVisitMotion { get; private set; }

    public IReadOnlyList<(DateTimeOffset At, bool Bedroom)> MorningMotion => _morningMotion;

    /// <summary>Today's rising (sustained activity, same definition as <see cref="Rising.FirstSustained"/>), once seen.</summary>
    public DateTimeOffset? RisenAt { get; private set; }

    /// <summary>Motion outside the bedroom since this morning's start (movement in bed is not being up).</summary>
    public int MorningMotionOutsideBedroom { get; private set; }

    public IReadOnlyCollection<SensorTrack> Tracks => _tracks.Values;

    public long MotionTotal => _motionTotal;

    /// <summary>Room visits (a motion from another sensor than the previous one): the unit of the dead-sensor test, since
    /// events within one stay are not independent.</summary>
    public long VisitTotal => _visitTotal;

    /// <summary>Time spent at home with the kit online (no away context): sensor silences are measured on this clock, so
    /// a holiday or an outage never makes a sensor look dead, nor teaches it a huge "normal" gap.</summary>
    public TimeSpan HomeClock { get; private set; }

    public void SetKitOffline(DateTimeOffset since) => KitOfflineSince ??= since;

    public void SetKitOnline(DateTimeOffset at)
    {
        if (KitOfflineSince is not null)
        {
            KitOfflineSince = null;
            KitBackAt = at;
        }
    }

    /// <summary>Rolls the per-day parts forward to <paramref name="now"/> (local midnight resets rising; the night window
    /// resets tonight's visit count).</summary>
    public void AdvanceTo(DateTimeOffset now)
    {
        if (_clockAt is { } at && now > at)
        {
            if (Presence.State == PresenceState.Home && KitOfflineSince is null && !InAwayContext(at))
            {
                HomeClock += now - at;
            }

            _clockAt = now;
        }
        else
        {
            _clockAt ??= now;
        }

        Presence.Advance(now);
        Presence.ClearNotifications();
        var local = LocalClock.ToLocal(now);
        var date = DateOnly.FromDateTime(local);
        if (date != MorningDate)
        {
            MorningDate = date;
            _morningMotion.Clear();
            MorningMotionOutsideBedroom = 0;
            RisenAt = null;
        }

        if (date != NightDate)
        {
            NightDate = date;
            NightVisits = 0;
        }
    }

    /// <summary>Applies one reading. Readings older than the last one applied are used for sensor health only.</summary>
    public void Apply(SensorReading r)
    {
        var sensor = Sensors.Find(r.SensorId);
        if (sensor is null || r.Kind is SensorKind.Kit)
        {
            return;
        }

        MonitoringSince ??= r.Ts;
        if (LastReading is { } last && r.Ts < last)
        {
            return;
        }

        LastReading = r.Ts;
        AdvanceTo(r.Ts);
        _tracks.TryGetValue(r.SensorId, out var track);
        track?.Seen(r.Ts, HomeClock);
        if (r.IsMotion)
        {
            _motionTotal++;
            if (_lastMotionSensor != r.SensorId)
            {
                _visitTotal++;
                track?.Visit(_visitTotal);
                _lastMotionSensor = r.SensorId;
            }
            var wasAway = Presence.State == PresenceState.Away;
            Presence.OnMotion(r.Ts);
            Presence.ClearNotifications();
            if (wasAway)
            {
                LastReturn = r.Ts;
            }
            var minute = LocalClock.LocalMinuteOfDay(r.Ts);
            if (minute >= Options.Features.MorningStartMinute)
            {
                _morningMotion.Add((r.Ts, sensor.IsBedroom));
                var i = _morningMotion.Count - Options.Features.RisingEvents;
                if (RisenAt is null && i >= 0 && !_morningMotion[i].Bedroom
                    && _morningMotion[^1].At - _morningMotion[i].At <= Options.Features.RisingWindow)
                {
                    RisenAt = _morningMotion[i].At;
                }
                if (!sensor.IsBedroom)
                {
                    MorningMotionOutsideBedroom++;
                }
            }

            if (minute >= Options.Features.NightStartMinute && minute < Options.Features.NightEndMinute && !sensor.IsBedroom)
            {
                if (LastNightVisitMotion is null || r.Ts - LastNightVisitMotion.Value > Options.Features.NightVisitSeparation)
                {
                    NightVisits++;
                }

                LastNightVisitMotion = r.Ts;
            }

            LastEvidence = r.Ts;
            LastEvidenceSensor = r.SensorId;
        }
        else if (sensor.IsFrontDoor)
        {
            Presence.OnDoor(r.Ts, r.IsOpen);
            LastEvidence = r.Ts;
            LastEvidenceSensor = r.SensorId;
        }
    }

    /// <summary>Days since monitoring started, for "leren: dag n van N".</summary>
    public int LearningDay(DateTimeOffset now) => MonitoringSince is { } s
        ? LocalClock.LocalDate(now).DayNumber - LocalClock.LocalDate(s).DayNumber + 1
        : 0;

    public bool InAwayContext(DateTimeOffset now) => Context.Any(c => c.MeansAway && c.Covers(now));

    /// <summary>Builds the state from a stored history (the hub's restart path; the evaluation streams instead).</summary>
    public static ResidentState FromHistory(string residentId, SensorMap sensors, IEnumerable<SensorReading> readings,
        DetectionOptions options, IEnumerable<ContextPeriod>? context = null, ResidentBaseline? baseline = null)
    {
        var state = new ResidentState(residentId, sensors, options);
        if (context is not null)
        {
            state.Context.AddRange(context);
        }

        if (baseline is not null)
        {
            state.Baseline = baseline;
        }

        foreach (var r in readings.OrderBy(r => r.Ts))
        {
            state.Apply(r);
        }

        return state;
    }
}

/// <summary>One sensor's reporting history: when it last reported, its longest silence (in home time), and its share of
/// room visits.</summary>
public sealed class SensorTrack(SensorAssignment sensor)
{
    public SensorAssignment Sensor { get; } = sensor;

    public DateTimeOffset? LastSeen { get; private set; }

    /// <summary>The resident's home clock when this sensor last reported.</summary>
    public TimeSpan LastSeenHomeClock { get; private set; }

    /// <summary>Longest silence so far, in home time.</summary>
    public TimeSpan LongestGap { get; private set; }

    public long Visits { get; private set; }

    /// <summary>The resident's visit total when this sensor was last visited.</summary>
    public long VisitTotalAtLastVisit { get; private set; }

    internal void Seen(DateTimeOffset t, TimeSpan homeClock)
    {
        if (LastSeen is not null && homeClock - LastSeenHomeClock > LongestGap)
        {
            LongestGap = homeClock - LastSeenHomeClock;
        }

        LastSeen = t;
        LastSeenHomeClock = homeClock;
    }

    internal void Visit(long visitTotal)
    {
        Visits++;
        VisitTotalAtLastVisit = visitTotal;
    }
}
