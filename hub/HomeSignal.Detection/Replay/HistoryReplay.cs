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
        Offline = offline ?? [];
    }

    public IReadOnlyList<OfflineInterval> Offline { get; }

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
        return replay;
    }

    /// <summary>Feeds readings (any order; sorted here) and evaluates up to <paramref name="until"/>.</summary>
    public void Feed(IEnumerable<SensorReading> readings, DateTimeOffset until)
    {
        var ordered = readings.OrderBy(r => r.Ts).ToList();
        var arrivals = ordered.Select(r => (At: ArrivalOf(r.Ts), Reading: r)).OrderBy(a => a.At).ToList();
        var offlineEdges = Offline.SelectMany(o => o.To is { } to ? new[] { (o.From, true), (to, false) } : [(o.From, true)])
            .OrderBy(e => e.Item1).ToList();
        var edge = 0;
        var featureIndex = 0;
        var cursor = arrivals.Count > 0 ? arrivals[0].At : until;
        var k = 0;
        while (cursor <= until)
        {
            // Kit connection changes up to the cursor.
            while (edge < offlineEdges.Count && offlineEdges[edge].Item1 <= cursor)
            {
                if (offlineEdges[edge].Item2)
                {
                    _state.SetKitOffline(offlineEdges[edge].Item1);
                }
                else
                {
                    _state.SetKitOnline(offlineEdges[edge].Item1);
                }

                edge++;
            }

            // Arrivals at the cursor.
            while (k < arrivals.Count && arrivals[k].At <= cursor)
            {
                _state.Apply(arrivals[k].Reading);
                k++;
            }

            // The feature builder reads in recorded-time order; it is fed everything that has arrived.
            while (featureIndex < ordered.Count && ArrivalOf(ordered[featureIndex].Ts) <= cursor)
            {
                _features.Add(ordered[featureIndex]);
                featureIndex++;
            }

            if (_state.KitOfflineSince is null)
            {
                _features.CompleteUntil(cursor);
            }

            var completed = _features.TakeCompleted();
            if (completed.Count > 0)
            {
                _days.AddRange(completed);
                _state.Baseline = ResidentBaseline.Build(_days, _options.Baselines, _labels);
            }

            foreach (var s in AcuteEngine.Evaluate(_state, cursor))
            {
                if (_seen.Add(s.SignalId))
                {
                    _signals.Add(s);
                }
            }

            var next = AcuteEngine.NextDeadline(_state, cursor);
            var nextArrival = k < arrivals.Count ? arrivals[k].At : (DateTimeOffset?)null;
            var nextEdge = edge < offlineEdges.Count ? offlineEdges[edge].Item1 : (DateTimeOffset?)null;
            var candidates = new[] { next, nextArrival, nextEdge }.Where(t => t is not null).Select(t => t!.Value).ToList();
            if (candidates.Count == 0)
            {
                break;
            }

            var step = candidates.Min();
            if (step <= cursor)
            {
                step = cursor.AddSeconds(1);
            }

            if (step > until)
            {
                break;
            }

            cursor = step;
        }

        _features.CompleteUntil(until);
        var rest = _features.TakeCompleted();
        if (rest.Count > 0)
        {
            _days.AddRange(rest);
            _state.Baseline = ResidentBaseline.Build(_days, _options.Baselines, _labels);
        }
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
