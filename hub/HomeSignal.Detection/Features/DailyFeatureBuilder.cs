using HomeSignal.Contracts.Payloads;
using HomeSignal.Detection.History;

namespace HomeSignal.Detection.Features;

/// <summary>Streams one resident's readings (in time order) into <see cref="DailyFeatures"/>, one per local date,
/// emitted when the date is complete. Memory is one day of motion times, so a year of events streams in constant space.</summary>
public sealed class DailyFeatureBuilder
{
    private readonly SensorMap _sensors;
    private readonly FeatureOptions _options;
    private readonly IReadOnlyList<OfflineInterval> _offline;
    private readonly IReadOnlyList<ContextPeriod> _context;
    private readonly PresenceTracker _presence;
    private readonly List<(DateTimeOffset At, bool Bedroom)> _motionToday = [];
    private readonly HashSet<string> _roomsToday = new(StringComparer.Ordinal);
    private readonly List<DailyFeatures> _completed = [];

    private DateOnly? _day;
    private DailyFeatures? _current;
    private DateTimeOffset _dayStart;
    private DateTimeOffset _dayEnd;
    private DateTimeOffset? _lastEvidence;
    private bool _lastEvidenceHome;
    private DateTimeOffset? _lastNightMotion;
    private DateTimeOffset? _lastMotionAt;
    private string? _lastMotionRoom;
    private int _visitorEvidence;
    private DateTimeOffset? _deliveredAt;
    private int _pendingDeliveryDays;
    private bool _deliveryCountedToday;
    private DateTimeOffset _awayCountedFrom;

    public DailyFeatureBuilder(SensorMap sensors, FeatureOptions options, IReadOnlyList<OfflineInterval>? offline = null,
        IReadOnlyList<ContextPeriod>? context = null)
    {
        _sensors = sensors;
        _options = options;
        _offline = offline ?? [];
        _context = context ?? [];
        _presence = new PresenceTracker(options.ExitConfirm);
    }

    /// <summary>Builds the features of all complete days in a history (the last, partial day is left out unless
    /// <paramref name="until"/> is after its end).</summary>
    public static List<DailyFeatures> Build(SensorMap sensors, IEnumerable<SensorReading> readings, FeatureOptions options,
        IReadOnlyList<OfflineInterval>? offline = null, IReadOnlyList<ContextPeriod>? context = null, DateTimeOffset? until = null)
    {
        var builder = new DailyFeatureBuilder(sensors, options, offline, context);
        var result = new List<DailyFeatures>();
        foreach (var r in readings)
        {
            builder.Add(r);
            result.AddRange(builder.TakeCompleted());
        }

        if (until is { } u)
        {
            builder.CompleteUntil(u);
            result.AddRange(builder.TakeCompleted());
        }

        return result;
    }

    public IReadOnlyList<DailyFeatures> TakeCompleted()
    {
        if (_completed.Count == 0)
        {
            return [];
        }

        var done = _completed.ToList();
        _completed.Clear();
        return done;
    }

    /// <summary>Closes every day that ended at or before <paramref name="now"/>.</summary>
    public void CompleteUntil(DateTimeOffset now)
    {
        while (_day is not null && _dayEnd <= now)
        {
            Finish();
            Open(_day.Value.AddDays(1));
        }
    }

    public void Add(SensorReading r)
    {
        var sensor = _sensors.Find(r.SensorId);
        if (sensor is null || r.Kind is SensorKind.Kit or SensorKind.Button)
        {
            return;
        }

        if (_day is null)
        {
            Open(LocalClock.LocalDate(r.Ts));
            _awayCountedFrom = _dayStart;
        }

        // Readings out of order by less than a day are folded into the current day; older ones are dropped.
        if (r.Ts < _dayStart)
        {
            return;
        }

        _presence.Advance(r.Ts);
        NoteExit();
        var isEvidence = r.IsMotion || sensor.IsFrontDoor;
        if (isEvidence)
        {
            CloseGap(r.Ts);
        }

        CompleteUntil(r.Ts);
        var day = _current!;
        if (r.IsMotion)
        {
            OnMotion(r.Ts, sensor, day);
        }
        else if (sensor.IsFrontDoor)
        {
            if (r.IsOpen)
            {
                day.DoorOpenings++;
            }
            else if (_presence.DoorOpenSince is { } since)
            {
                var minute = LocalClock.LocalMinuteOfDay(since);
                if (minute is >= 420 and < 1320)
                {
                    day.LongestDoorOpenDay = Math.Max(day.LongestDoorOpenDay, (r.Ts - since).TotalMinutes);
                }
            }

            _presence.OnDoor(r.Ts, r.IsOpen);
        }
        else if (r.Kind == SensorKind.MailboxFlap && r.IsOpen)
        {
            day.PostDelivered = true;
            _deliveredAt ??= r.Ts;
            if (!_deliveryCountedToday)
            {
                _pendingDeliveryDays++;
                _deliveryCountedToday = true;
            }
        }
        else if (r.Kind == SensorKind.MailboxDoor && r.IsOpen)
        {
            day.PostCollected = true;
            if (_deliveredAt is { } d && LocalClock.LocalDate(d) == _day)
            {
                day.RetrievalDelay = (r.Ts - d).TotalMinutes;
            }

            _deliveredAt = null;
            _pendingDeliveryDays = 0;
        }

        if (isEvidence)
        {
            _lastEvidence = r.Ts;
            _lastEvidenceHome = _presence.State == PresenceState.Home;
        }
    }

    private void OnMotion(DateTimeOffset t, SensorAssignment sensor, DailyFeatures day)
    {
        var wasAway = _presence.State == PresenceState.Away;
        _presence.OnMotion(t);
        if (wasAway && _presence.CompletedOuting is { } outing)
        {
            day.MinutesOut += Math.Max(0, (outing.To - Later(outing.From, _awayCountedFrom)).TotalMinutes);
        }

        _presence.ClearNotifications();
        day.MotionCount++;
        var local = LocalClock.ToLocal(t);
        day.HourlyMotion[local.Hour]++;
        _roomsToday.Add(sensor.Room);
        _motionToday.Add((t, sensor.IsBedroom));
        var minute = local.Hour * 60 + local.Minute;
        if (minute >= _options.NightStartMinute && minute < _options.NightEndMinute)
        {
            day.NightMotion++;
            if (sensor.IsBedroom)
            {
                day.NightBedroomMotion++;
            }

            if (!sensor.IsBedroom && (_lastNightMotion is null || t - _lastNightMotion.Value > _options.NightVisitSeparation))
            {
                day.NightVisits++;
            }

            if (!sensor.IsBedroom)
            {
                _lastNightMotion = t;
            }
        }

        if (_lastMotionAt is { } prev && _lastMotionRoom is not null && _lastMotionRoom != sensor.Room
            && t - prev <= _options.VisitorCoincidence)
        {
            _visitorEvidence++;
        }

        if (_lastMotionRoom is not null && _lastMotionRoom != sensor.Room)
        {
            day.RoomChanges++;
        }

        _lastMotionAt = t;
        _lastMotionRoom = sensor.Room;
    }

    private void NoteExit()
    {
        if (_presence.ConfirmedExit is { } exit && _current is not null)
        {
            var day = LocalClock.LocalDate(exit) == _day ? _current : null;
            if (day is not null)
            {
                day.Outings++;
            }

            _awayCountedFrom = Later(exit, _dayStart);
            _presence.ClearNotifications();
        }
    }

    private void CloseGap(DateTimeOffset t)
    {
        if (_lastEvidence is not { } start || !_lastEvidenceHome || _presence.State != PresenceState.Home || _current is null)
        {
            return;
        }

        if (_offline.Any(o => o.From < t && (o.To is null || o.To.Value > start)))
        {
            return;
        }

        if (start < _dayStart)
        {
            return;
        }

        var minutes = (t - start).TotalMinutes;
        var local = LocalClock.ToLocal(start);
        var day = _current;
        day.HourlyMaxGap[local.Hour] = Math.Max(day.HourlyMaxGap[local.Hour], minutes);
        var minuteOfDay = local.Hour * 60 + local.Minute;
        if (minuteOfDay >= _options.MorningStartMinute && minuteOfDay < 1320)
        {
            day.LongestGapHome = Math.Max(day.LongestGapHome, minutes);
        }
    }

    private void Open(DateOnly date)
    {
        _day = date;
        _dayStart = LocalClock.StartOfDay(date);
        _dayEnd = LocalClock.StartOfDay(date.AddDays(1));
        _current = new DailyFeatures { Date = date };
        _motionToday.Clear();
        _roomsToday.Clear();
        _visitorEvidence = 0;
        _deliveryCountedToday = false;
    }

    private void Finish()
    {
        var day = _current!;
        _presence.Advance(_dayEnd);
        NoteExit();
        if (_presence.State == PresenceState.Away && _presence.AwaySince is { } since)
        {
            day.MinutesOut += Math.Max(0, (_dayEnd - Later(since, Later(_awayCountedFrom, _dayStart))).TotalMinutes);
            _awayCountedFrom = _dayEnd;
        }

        foreach (var o in _offline)
        {
            var from = Later(o.From, _dayStart);
            var to = o.To is { } end && end < _dayEnd ? end : _dayEnd;
            if (to > from)
            {
                day.OfflineMinutes += (to - from).TotalMinutes;
            }
        }

        var rise = Rising.FirstSustained(
            _motionToday.Where(m => LocalClock.LocalMinuteOfDay(m.At) >= _options.MorningStartMinute).ToList(),
            _options.RisingEvents, _options.RisingWindow);
        day.FirstActivity = rise is { } r ? LocalClock.LocalMinuteOfDay(r) : double.NaN;
        if (rise is { } risen)
        {
            // Night motion counts only while in bed: as mornings get earlier in spring, getting up before the night
            // window ends must not look like a restless night.
            var inBedUntil = risen - _options.NightEndsBeforeRising;
            var night = _motionToday.Where(m => m.At < inBedUntil && LocalClock.LocalMinuteOfDay(m.At) is var mm
                && mm >= _options.NightStartMinute && mm < _options.NightEndMinute).ToList();
            day.NightMotion = night.Count;
            day.NightBedroomMotion = night.Count(m => m.Bedroom);
        }

        day.LastActivity = _motionToday.Count > 0 ? LocalClock.LocalMinuteOfDay(_motionToday[^1].At) : double.NaN;
        day.ActiveHours = day.HourlyMotion.Count(c => c > 0);
        day.RoomsVisited = _roomsToday.Count;
        day.UncollectedDeliveryDays = _pendingDeliveryDays;
        var noon = LocalClock.At(_day!.Value, 720);
        day.Visitor = _visitorEvidence >= _options.VisitorMinCoincidences
            || _context.Any(c => c.Kind == ContextKind.Visit && c.Overlaps(_dayStart, _dayEnd));
        day.Away = day.MinutesOut > 720 || _context.Any(c => c.MeansAway && c.Overlaps(_dayStart, _dayEnd))
            || (_context.Any(c => c.MeansAway && c.Covers(noon)));
        _completed.Add(day);
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
