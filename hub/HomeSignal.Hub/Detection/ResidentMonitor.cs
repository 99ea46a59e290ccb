using HomeSignal.Detection.History;
using HomeSignal.Detection.Labels;
using HomeSignal.Detection.Nightly;
using HomeSignal.Detection.Replay;
using HomeSignal.Detection.Signals;
using HomeSignal.Hub.Health;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Signals;
using HomeSignal.Hub.Storage;
using Microsoft.Extensions.Options;
using DetectionContext = HomeSignal.Detection.History.ContextPeriod;
using DetectionLabel = HomeSignal.Detection.Labels.Label;

namespace HomeSignal.Hub.Detection;

/// <summary>
/// Follows every resident who consented to monitoring and has a live kit (installing kits are not followed): replays their recent history once, then
/// feeds new events and evaluates the acute rules on every tick, and runs the nightly pass (baselines, unusual day,
/// slow decline). Signals go to the <see cref="SignalStore"/>. Kit-offline and stale-sensor signals are the health
/// watchdog's; here a silent kit only keeps behaviour rules quiet, so a dead kit never looks like a still person.
/// </summary>
public sealed class ResidentMonitor(
    IEventStore events,
    KitRegistry kits,
    ResidentRegistry residents,
    SignalStore signals,
    KitHealthTracker health,
    IOptions<HubDetectionOptions> options,
    TimeProvider time,
    ILogger<ResidentMonitor> logger) : IDisposable
{
    private const int MaxEventsPerRead = 2_000_000;
    private readonly Dictionary<string, Followed> _followed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1); // the worker and the demo's "run now" must not interleave
    private readonly HubDetectionOptions _options = options.Value;
    private ModelStore? _store;
    private NightlyAnalysis? _nightly;
    private DetectionModels? _models;

    /// <summary>The residents followed now.</summary>
    public IReadOnlyCollection<string> FollowedResidents => _followed.Keys;

    /// <summary>The local date the nightly pass last analysed, if it ran.</summary>
    public DateOnly? LastNightly { get; private set; }

    /// <summary>Learning progress per followed resident, as the nightly pass words it ("leren: dag 9 van 14").</summary>
    public IReadOnlyDictionary<string, string> LearningProgress => _followed
        .Where(f => f.Value.LearningProgress is not null)
        .ToDictionary(f => f.Key, f => f.Value.LearningProgress!, StringComparer.Ordinal);

    /// <summary>Brings every followed resident up to now and stores the signals raised. Returns how many were new.</summary>
    public async Task<int> EvaluateAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await EvaluateCoreAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs baselines, the unusual-day score and slow-decline trends over every followed resident's closed days.</summary>
    public async Task<int> RunNightlyAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await RunNightlyCoreAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int> EvaluateCoreAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = new HashSet<string>(StringComparer.Ordinal);
        var raised = 0;
        foreach (var resident in await residents.AllAsync(cancellationToken))
        {
            var consent = await residents.GetConsentAsync(resident.ResidentId, cancellationToken);
            // Every kit the resident ever had: a replaced (revoked) kit's events stay part of their history.
            var residentKits = kits.KitsOf(resident.ResidentId);
            if (!consent.Monitoring || !residentKits.Any(k => k.IsLive))
            {
                continue; // Without consent to monitoring, or before go-live, nothing about this person is analysed.
            }

            current.Add(resident.ResidentId);
            var signature = string.Join(';', residentKits.Select(k => $"{k.KitId}:{k.Stage}:{string.Join(',', k.Sensors.Select(s => s.SensorId))}"));
            if (!_followed.TryGetValue(resident.ResidentId, out var followed) || followed.Signature != signature)
            {
                followed = await StartFollowingAsync(resident.ResidentId, residentKits, signature, now, cancellationToken);
                _followed[resident.ResidentId] = followed;
            }
            else
            {
                await CatchUpAsync(followed, now, cancellationToken);
            }

            raised += await PublishAsync(followed, now, cancellationToken);
        }

        foreach (var gone in _followed.Keys.Where(id => !current.Contains(id)).ToList())
        {
            _followed.Remove(gone);
        }

        return raised;
    }

    /// <summary>Whether the nightly pass should run: once a day after <see cref="HubDetectionOptions.NightlyAt"/>, and at start.</summary>
    public bool NightlyDue(DateTimeOffset now)
    {
        var local = LocalClock.ToLocal(now);
        var today = DateOnly.FromDateTime(local);
        return LastNightly is null || (LastNightly < today && TimeOnly.FromDateTime(local) >= _options.NightlyAt);
    }

    private async Task<int> RunNightlyCoreAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        LastNightly = DateOnly.FromDateTime(LocalClock.ToLocal(now));
        _store ??= new ModelStore(_options.ModelsDirectory);
        _nightly ??= new NightlyAnalysis(_options.Engine, _store);

        // Every closed day not analysed yet, per resident. A resident followed for the first time gets the last
        // NightlyCatchUpDays analysed in order, as if the hub had been running: trends need persistence over evaluations.
        var due = new SortedDictionary<DateOnly, List<(Followed Resident, int Index)>>();
        foreach (var f in _followed.Values)
        {
            var days = f.Replay.Days;
            var first = f.LastNightlyDay is { } last
                ? days.Count(d => d.Date <= last)
                : Math.Max(0, days.Count - _options.NightlyCatchUpDays);
            for (var i = first; i < days.Count; i++)
            {
                (due.TryGetValue(days[i].Date, out var list) ? list : due[days[i].Date] = []).Add((f, i));
            }
        }

        var raised = 0;
        foreach (var (date, residentsOfDay) in due)
        {
            var histories = new List<ResidentHistory>();
            foreach (var (f, index) in residentsOfDay)
            {
                histories.Add(new ResidentHistory
                {
                    ResidentId = f.ResidentId,
                    Days = [.. f.Replay.Days.Take(index + 1)],
                    Context = await ContextOfAsync(f.ResidentId, cancellationToken),
                    Labels = f.Labels,
                    LastRaised = f.LastRaised,
                });
                f.LastNightlyDay = date;
            }

            _models ??= _store!.Load();
            NightlyResult result;
            try
            {
                result = _nightly.Run(histories, date, _models);
            }
            catch (InvalidOperationException ex) when (_models is null)
            {
                // Cold start: nobody has the five weeks the cross-resident models need yet. Baselines still follow
                // every night (the replay rebuilds them); trends start from week six, as the design says.
                logger.LogInformation("Nightly analysis of {Date} waits for more history: {Reason}", date, ex.Message);
                continue;
            }

            _models = result.Models;
            foreach (var resident in result.Residents)
            {
                var followed = _followed[resident.ResidentId];
                followed.LearningProgress = resident.LearningProgress;
                followed.Replay.State.Baseline = resident.Baseline;
                foreach (var signal in resident.Signals)
                {
                    await signals.UpsertAsync(DetectionMapping.ToHub(signal, now), cancellationToken);
                    raised++;
                }
            }
        }

        if (due.Count > 0)
        {
            logger.LogInformation("Nightly analysis of {Days} day(s) up to {Last} raised {Signals} signals.", due.Count, due.Keys.Last(), raised);
        }

        return raised;
    }

    public void Dispose() => _gate.Dispose();

    private async Task<Followed> StartFollowingAsync(string residentId, IReadOnlyList<KitRecord> residentKits, string signature, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var kitIds = residentKits.Select(k => k.KitId).ToList();
        var from = now.AddDays(-_options.HistoryDays);
        var history = await events.QueryEventsAsync(new EventQuery { KitIds = kitIds, From = from, To = now.AddMinutes(1), Limit = MaxEventsPerRead, Order = EventOrder.OldestFirst }, cancellationToken);
        // Versions are read before what they version: a change in between only causes one more reload.
        var contextVersion = residents.ContextVersion;
        var context = await ContextOfAsync(residentId, cancellationToken);
        var labelsVersion = residents.LabelsVersion;
        var labels = await LabelsOfAsync(residentId, cancellationToken);
        var replay = new HistoryReplay(residentId, DetectionMapping.SensorMapOf(residentKits), _options.Engine, offline: null, context, labels);
        var followed = new Followed(residentId, kitIds, signature, replay, now) { Labels = labels, LabelsVersion = labelsVersion, ContextVersion = contextVersion };
        followed.Remember(history, now - _options.LateArrivalWindow);
        ApplyKitPresence(followed, now);
        replay.Feed(history.Select(ToReading), now);
        followed.Cursor = now;
        logger.LogInformation("Following resident {Resident}: {Events} events over {Days} days replayed.", residentId, history.Count, replay.Days.Count);
        return followed;
    }

    private async Task CatchUpAsync(Followed followed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var windowStart = followed.Cursor - _options.LateArrivalWindow;
        var recent = await events.QueryEventsAsync(new EventQuery { KitIds = followed.KitIds, From = windowStart, To = now.AddMinutes(1), Limit = MaxEventsPerRead, Order = EventOrder.OldestFirst }, cancellationToken);
        var fresh = followed.Remember(recent, windowStart);
        var contextVersion = residents.ContextVersion;
        if (contextVersion != followed.ContextVersion)
        {
            // Context periods (holiday, hospital, …) are rare too; reread them only after one was added.
            var context = await ContextOfAsync(followed.ResidentId, cancellationToken);
            followed.Replay.State.Context.Clear();
            followed.Replay.State.Context.AddRange(context);
            followed.ContextVersion = contextVersion;
        }

        var labelsVersion = residents.LabelsVersion;
        if (labelsVersion != followed.LabelsVersion)
        {
            // Labels are rare; reload (one query per label) only when one was added since.
            followed.Labels = await LabelsOfAsync(followed.ResidentId, cancellationToken);
            followed.LabelsVersion = labelsVersion;
            followed.Replay.State.Labels = new LabelAdjustments(followed.Labels);
        }

        ApplyKitPresence(followed, now);
        followed.Replay.Feed(fresh.Select(ToReading), now);
        followed.Cursor = now;
    }

    private void ApplyKitPresence(Followed followed, DateTimeOffset now)
    {
        var state = followed.Replay.State;
        // Only live kits speak for the resident's presence; a revoked or installing kit's silence means nothing.
        var anyOffline = followed.KitIds.Any(k => kits.Find(k) is { IsLive: true } && health.IsKitOffline(k, now));
        if (anyOffline)
        {
            state.SetKitOffline(now);
        }
        else if (state.KitOfflineSince is not null)
        {
            state.SetKitOnline(now);
        }
    }

    private async Task<int> PublishAsync(Followed followed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var published = 0;
        var all = followed.Replay.Signals;
        for (var i = followed.Published; i < all.Count; i++)
        {
            var signal = all[i];
            if (signal.Layer == SignalLayer.DataHealth)
            {
                continue; // The health watchdog raises kit-offline and stale-sensor signals for installers.
            }

            var hub = DetectionMapping.ToHub(signal, now);
            if (signal.RaisedAt < followed.FollowingSince - TimeSpan.FromHours(12))
            {
                // Found while replaying old history: kept for the resident's record, but nobody needs to act on it now.
                hub = hub with { ResolvedAt = followed.FollowingSince };
            }

            await signals.UpsertAsync(hub, cancellationToken);
            published++;
        }

        followed.Published = all.Count;
        return published;
    }

    private async Task<IReadOnlyList<DetectionContext>> ContextOfAsync(string residentId, CancellationToken cancellationToken) =>
        [.. (await residents.ContextAsync(residentId, cancellationToken)).Select(DetectionMapping.ContextOf).OfType<DetectionContext>()];

    private async Task<IReadOnlyList<DetectionLabel>> LabelsOfAsync(string residentId, CancellationToken cancellationToken)
    {
        var labels = new List<DetectionLabel>();
        foreach (var label in await residents.LabelsAsync(residentId, cancellationToken))
        {
            if (DetectionMapping.LabelOf(label, await signals.FindAsync(label.SignalId, cancellationToken)) is { } mapped)
            {
                labels.Add(mapped);
            }
        }

        return labels;
    }

    private static SensorReading ToReading(StoredEvent e) => new(e.Ts, e.SensorId, e.Kind, e.State);

    private sealed class Followed(string residentId, IReadOnlyList<string> kitIds, string signature, HistoryReplay replay, DateTimeOffset since)
    {
        private readonly Dictionary<(string Kit, string Boot, long Seq), DateTimeOffset> _seen = [];

        public string ResidentId { get; } = residentId;

        public IReadOnlyList<string> KitIds { get; } = kitIds;

        public string Signature { get; } = signature;

        public HistoryReplay Replay { get; } = replay;

        public DateTimeOffset FollowingSince { get; } = since;

        public DateTimeOffset Cursor { get; set; }

        /// <summary>The resident's labels as detection sees them, loaded at <see cref="LabelsVersion"/>.</summary>
        public IReadOnlyList<DetectionLabel> Labels { get; set; } = [];

        public long LabelsVersion { get; set; }

        /// <summary>The registry's <see cref="ResidentRegistry.ContextVersion"/> when the context was last read.</summary>
        public long ContextVersion { get; set; }

        public int Published { get; set; }

        public DateOnly? LastNightlyDay { get; set; }

        public string? LearningProgress { get; set; }

        public Dictionary<SignalKind, DateOnly> LastRaised { get; } = [];

        /// <summary>Returns the events not seen before, and forgets keys that fell out of the late-arrival window.</summary>
        public List<StoredEvent> Remember(IReadOnlyList<StoredEvent> batch, DateTimeOffset windowStart)
        {
            var fresh = new List<StoredEvent>();
            foreach (var e in batch)
            {
                if (_seen.TryAdd((e.KitId, e.BootId, e.Seq), e.Ts))
                {
                    fresh.Add(e);
                }
            }

            foreach (var old in _seen.Where(kv => kv.Value < windowStart).Select(kv => kv.Key).ToList())
            {
                _seen.Remove(old);
            }

            return fresh;
        }
    }
}
