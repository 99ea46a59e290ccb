using HomeSignal.Detection.Acute;
using HomeSignal.Detection.Baselines;
using HomeSignal.Detection.Features;
using HomeSignal.Detection.History;
using HomeSignal.Detection.Labels;
using HomeSignal.Detection.Signals;

namespace HomeSignal.Detection.Replay;

/// <summary>Replays one resident's recorded history as the hub would have lived it: events arrive in time order (events
/// recorded while the kit was offline arrive when it comes back), the acute engine is evaluated at every arrival and at
/// every deadline in between (equivalent to the hub's every-minute pass, without 500k evaluations a year), days are
/// closed into features and the baseline is rebuilt every night. Used by the import command, the evaluation and a hub
/// back-fill.</summary>
public sealed class HistoryReplay
{
    private readonly ResidentState _state;
    private readonly DailyFeatureBuilder _features;
    private readonly DetectionOptions _options;
    private readonly List<DailyFeatures> _days = [];
    private readonly List<Signal> _signals = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly LabelAdjustments _labels;
    private readonly List<(DateTimeOffset At, SensorReading Reading)> _arrivals = [];
    private readonly List<SensorReading> _byTime = [];
    private readonly List<(DateTimeOffset At, bool Offline)> _offlineEdges;
    private int _edge;
    private DateTimeOffset? _cursor;

    public HistoryReplay(string residentId, SensorMap sensors, DetectionOptions options, IReadOnlyList<OfflineInterval>? offline = null,
        IReadOnlyList<ContextPeriod>? context = null, IReadOnlyList<Label>? labels = null)
    {
        _options = options;
        _state = new ResidentState(residentId, sensors, options);
        if (context is not null)
        {
            _state.Context.AddRange(context);
        }

        _labels = new LabelAdjustments(labels ?? []);
        _state.Labels = _labels;
        _features = new DailyFeatureBuilder(sensors, options.Features, offline, context);
        Offline = MergeOverlapping(offline ?? []);
        _offlineEdges = Offline.SelectMany(o => o.To is { } to ? new[] { (o.From, true), (to, false) } : [(o.From, true)])
            .Select(e => (At: e.Item1, Offline: e.Item2)).OrderBy(e => e.At).ToList();
    }

    public IReadOnlyList<OfflineInterval> Offline { get; }

    private static readonly TimeSpan DayCloseDelay = TimeSpan.FromHours(12);

    public IReadOnlyList<DailyFeatures> Days => _days;

    /// <summary>Acute and data-health signals, in the order raised (one per episode).</summary>
    public IReadOnlyList<Signal> Signals => _signals;

    public ResidentState State => _state;

    /// <summary>Runs the whole history up to <paramref name="until"/>.</summary>
    public static HistoryReplay Run(string residentId, SensorMap sensors, IEnumerable<SensorReading> readings, DetectionOptions options,
        DateTimeOffset until, IReadOnlyList<OfflineInterval>? offline = null, IReadOnlyList<ContextPeriod>? context = null,
        IReadOnlyList<Label>? labels = null)
    {
        var replay = new HistoryReplay(residentId, sensors, options, offline, context, labels);
        replay.Feed(readings, until);
        replay.Finish(until);
        return replay;
    }

    /// <summary>Feeds readings and evaluates up to <paramref name="until"/>. May be called repeatedly with later chunks
    /// (e.g. one simulated day at a time); readings whose arrival is after <paramref name="until"/> wait for the next call.</summary>
    public void Feed(IEnumerable<SensorReading> readings, DateTimeOffset until)
    {
        foreach (var r in readings)
        {
            _arrivals.Add((ArrivalOf(r.Ts), r));
            _byTime.Add(r);
        }

        _arrivals.Sort(static (a, b) => a.At.CompareTo(b.At));
        _byTime.Sort(static (a, b) => a.Ts.CompareTo(b.Ts));
        var k = 0;
        var featureIndex = 0;
        var cursor = _cursor ?? (_arrivals.Count > 0 ? _arrivals[0].At : until);
        while (cursor <= until)
        {
            // Kit connection changes up to the cursor.
            while (_edge < _offlineEdges.Count && _offlineEdges[_edge].At <= cursor)
            {
                if (_offlineEdges[_edge].Offline)
                {
                    _state.SetKitOffline(_offlineEdges[_edge].At);
                }
                else
                {
                    _state.SetKitOnline(_offlineEdges[_edge].At);
                }

                _edge++;
            }

            while (k < _arrivals.Count && _arrivals[k].At <= cursor)
            {
                _state.Apply(_arrivals[k].Reading);
                k++;
            }

            // The feature builder reads in recorded-time order, everything that has arrived.
            while (featureIndex < _byTime.Count && ArrivalOf(_byTime[featureIndex].Ts) <= cursor)
            {
                _features.Add(_byTime[featureIndex]);
                featureIndex++;
            }

            // Days close half a day late, so the night's long gap (which ends next morning) still belongs to its day.
            if (_state.KitOfflineSince is null)
            {
                _features.CompleteUntil(cursor - DayCloseDelay);
            }

            TakeDays();
            foreach (var s in AcuteEngine.Evaluate(_state, cursor))
            {
                if (_seen.Add(s.SignalId))
                {
                    // A condition that only became known now (e.g. events arriving late) is raised now, not back then.
                    _signals.Add(s.RaisedAt < cursor ? s with { RaisedAt = cursor } : s);
                }
            }

            var step = AcuteEngine.NextDeadline(_state, cursor) ?? DateTimeOffset.MaxValue;
            if (k < _arrivals.Count && _arrivals[k].At < step)
            {
                step = _arrivals[k].At;
            }

            if (_edge < _offlineEdges.Count && _offlineEdges[_edge].At < step)
            {
                step = _offlineEdges[_edge].At;
            }

            if (step <= cursor)
            {
                step = cursor.AddSeconds(1);
            }

            if (step > until)
            {
                cursor = until.AddTicks(1);
                break;
            }

            cursor = step;
        }

        _cursor = cursor;
        _arrivals.RemoveRange(0, k);
        _byTime.RemoveRange(0, featureIndex);
    }

    /// <summary>Closes every day up to <paramref name="until"/> into features (end of a replay).</summary>
    public void Finish(DateTimeOffset until)
    {
        _features.CompleteUntil(until);
        TakeDays();
    }

    private void TakeDays()
    {
        var completed = _features.TakeCompleted();
        if (completed.Count > 0)
        {
            _days.AddRange(completed);
            _state.Baseline = ResidentBaseline.Build(_days, _options.Baselines, _labels);
        }
    }

    /// <summary>Outage records may overlap (a network outage inside a longer one): the kit is offline over their union.</summary>
    private static List<OfflineInterval> MergeOverlapping(IReadOnlyList<OfflineInterval> intervals)
    {
        var merged = new List<OfflineInterval>();
        foreach (var i in intervals.OrderBy(i => i.From))
        {
            if (merged.Count > 0 && (merged[^1].To is null || i.From <= merged[^1].To))
            {
                var last = merged[^1];
                merged[^1] = last with { To = last.To is null || i.To is null ? null : (i.To > last.To ? i.To : last.To) };
            }
            else
            {
                merged.Add(i);
            }
        }

        return merged;
    }

    private DateTimeOffset ArrivalOf(DateTimeOffset ts)
    {
        foreach (var o in Offline)
        {
            if (ts >= o.From && (o.To is null || ts < o.To.Value))
            {
                return o.To ?? DateTimeOffset.MaxValue;
            }
        }

        return ts;
    }
}
