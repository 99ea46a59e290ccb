using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Health;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Signals;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Tests.Health;

public sealed class SensorGapProfileTests : IDisposable
{
    private const string Kit = "kit-gap";
    private readonly HubParts _parts = new();
    private readonly SignalStore _signals;
    private readonly InstrumentedStore _store;
    private readonly string _boot = Guid.NewGuid().ToString("N");

    public SensorGapProfileTests()
    {
        _signals = new SignalStore(_parts.Registry);
        _store = new InstrumentedStore(_parts.Store);
    }

    [Fact]
    public async Task Staleness_is_judged_from_gaps_kept_as_events_arrive_without_rereading_the_store()
    {
        await CreateKitAsync();
        var (tracker, watchdog, _) = Start();
        var lastEvent = Feed(tracker, days: 14, everyHours: 4);

        foreach (var (hours, stale) in new[] { (6, false), (11, false), (13, true) })
        {
            _parts.Time.SetUtcNow(lastEvent.AddHours(hours));
            tracker.OnHeartbeat(Heartbeat(), _parts.Time.GetUtcNow());
            await watchdog.CheckSensorsAsync(CancellationToken.None);
            Assert.Equal(stale, (await _signals.SinceAsync(DateTimeOffset.MinValue, CancellationToken.None)).Any(s => s.Kind == SignalVocabulary.SensorStale));
        }

        // Read once, to seed the kit's profiles (an upgraded hub has history but no profiles yet), then never again.
        Assert.Equal(1, _store.Queries);
    }

    [Fact]
    public async Task Profiles_and_the_seeded_mark_survive_a_restart()
    {
        await CreateKitAsync();
        var (tracker, watchdog, _) = Start();
        var lastEvent = Feed(tracker, days: 10, everyHours: 5);
        await watchdog.CheckSensorsAsync(CancellationToken.None);
        await watchdog.CheckKitsAsync(CancellationToken.None);

        var (restarted, again, gaps) = Start();
        var profile = gaps.Profile(Kit, "motion-living", lastEvent);
        Assert.Equal(TimeSpan.FromHours(5), profile!.LongestGap);
        Assert.Equal(lastEvent, profile.LastEvent);

        _parts.Time.SetUtcNow(lastEvent.AddHours(16));
        restarted.OnHeartbeat(Heartbeat(), _parts.Time.GetUtcNow());
        await again.CheckSensorsAsync(CancellationToken.None);
        Assert.Contains(await _signals.SinceAsync(DateTimeOffset.MinValue, CancellationToken.None), s => s.Kind == SignalVocabulary.SensorStale);
        Assert.Equal(1, _store.Queries);
    }

    [Fact]
    public async Task An_upgraded_hub_seeds_the_profiles_from_stored_history_once()
    {
        await CreateKitAsync();
        var now = _parts.Time.GetUtcNow();
        var history = Enumerable.Range(0, 14 * 6).Select(i => new EventToStore(Event(i, now.AddHours(-1 - (4 * (83 - i)))), now)).ToList();
        await _parts.Store.StoreAsync(history, CancellationToken.None);
        var (tracker, watchdog, _) = Start();

        _parts.Time.SetUtcNow(history[^1].Event.Ts.AddHours(13));
        tracker.OnHeartbeat(Heartbeat(), _parts.Time.GetUtcNow());
        await watchdog.CheckSensorsAsync(CancellationToken.None);
        var signal = Assert.Single(await _signals.SinceAsync(DateTimeOffset.MinValue, CancellationToken.None));
        Assert.Equal(["motion-living"], signal.Sensors);
        Assert.Contains("4 uur", signal.NormalRange, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_order_events_never_shorten_a_kept_gap_and_old_days_leave_the_window()
    {
        var gaps = new SensorGapProfiles(_parts.Registry, Options.Create(_parts.HealthOptions));
        var t = _parts.Time.GetUtcNow();
        gaps.Note(Kit, "door-front", t);
        gaps.Note(Kit, "door-front", t.AddHours(10));
        gaps.Note(Kit, "door-front", t.AddHours(5));
        Assert.Equal(TimeSpan.FromHours(10), gaps.Profile(Kit, "door-front", t.AddHours(11))!.LongestGap);

        gaps.Note(Kit, "door-front", t.AddDays(40));
        gaps.Note(Kit, "door-front", t.AddDays(40).AddHours(1));
        var later = gaps.Profile(Kit, "door-front", t.AddDays(40).AddHours(2))!;
        Assert.Equal(TimeSpan.FromDays(40) - TimeSpan.FromHours(10), later.LongestGap);
        Assert.Equal(t.AddDays(40), later.FirstEvent);

        // Too little history inside the window to judge: the sensor is not called stale on one old gap.
        Assert.Null(KitWatchdog.Judge(later, default, t.AddDays(45), _parts.HealthOptions));
    }

    [Fact]
    public async Task Days_that_leave_the_window_are_deleted_from_the_registry_file()
    {
        var gaps = new SensorGapProfiles(_parts.Registry, Options.Create(_parts.HealthOptions));
        var t = _parts.Time.GetUtcNow();
        gaps.Note(Kit, "door-front", t);
        gaps.Note(Kit, "door-front", t.AddDays(1));
        await gaps.SaveAsync(t.AddDays(1), CancellationToken.None);
        Assert.Equal(2, Rows());

        gaps.Note(Kit, "door-front", t.AddDays(40));
        await gaps.SaveAsync(t.AddDays(40), CancellationToken.None);
        Assert.Equal(1, Rows());

        var reloaded = new SensorGapProfiles(_parts.Registry, Options.Create(_parts.HealthOptions));
        Assert.Equal(TimeSpan.FromDays(39), reloaded.Profile(Kit, "door-front", t.AddDays(40))!.LongestGap);
    }

    private long Rows()
    {
        using var connection = _parts.Registry.Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sensor_gaps;";
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose() => _parts.Dispose();

    private (KitHealthTracker Tracker, KitWatchdog Watchdog, SensorGapProfiles Gaps) Start()
    {
        var gaps = new SensorGapProfiles(_parts.Registry, Options.Create(_parts.HealthOptions));
        var tracker = new KitHealthTracker(_parts.Kits, Options.Create(_parts.HealthOptions), gaps);
        var watchdog = new KitWatchdog(tracker, new KitHealthStore(_parts.Registry), _parts.Kits, _signals, _store,
            Options.Create(_parts.HealthOptions), _parts.Time, NullLogger<KitWatchdog>.Instance, gaps);
        return (tracker, watchdog, gaps);
    }

    /// <summary>Events as the ingestion pipeline reports them once stored (not written to the store here).</summary>
    private DateTimeOffset Feed(KitHealthTracker tracker, int days, int everyHours)
    {
        var start = _parts.Time.GetUtcNow();
        var count = days * 24 / everyHours;
        for (var i = 0; i < count; i++)
        {
            var ts = start.AddHours(i * everyHours);
            tracker.OnEvent(Kit, "motion-living", ts, ts);
        }

        var last = start.AddHours((count - 1) * everyHours);
        _parts.Time.SetUtcNow(last);
        return last;
    }

    private SensorEvent Event(long seq, DateTimeOffset ts) => new()
    {
        KitId = Kit,
        BootId = _boot,
        Seq = seq,
        SensorId = "motion-living",
        Kind = SensorKind.Motion,
        State = SensorStates.Active,
        Ts = ts,
        ClockSynced = true,
    };

    private async Task CreateKitAsync()
    {
        var resident = (await _parts.Residents.CreateAsync("Meneer de Vries", null, CancellationToken.None)).ResidentId;
        await _parts.Kits.CreateAsync(Kit, resident, [new SensorRecord("motion-living", SensorKind.Motion, "woonkamer", "presence")], CancellationToken.None);
    }

    private Heartbeat Heartbeat() => new()
    {
        KitId = Kit,
        BootId = _boot,
        Ts = _parts.Time.GetUtcNow(),
        UptimeSeconds = 100,
        IntervalSeconds = 60,
        ClockSynced = true,
        Outbox = new OutboxHealth { Depth = 0, Bytes = 0, CapacityEvents = 1000, CapacityBytes = 1_000_000 },
        SoftwareVersion = "0.1.0",
    };
}
