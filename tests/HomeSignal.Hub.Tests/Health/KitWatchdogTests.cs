using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Health;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Signals;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Tests.Health;

public sealed class KitWatchdogTests : IDisposable
{
    private readonly HubParts _parts = new();
    private readonly SignalStore _signals;
    private readonly KitWatchdog _watchdog;
    private readonly string _boot = Guid.NewGuid().ToString("N");
    private string _residentId = string.Empty;

    public KitWatchdogTests()
    {
        _signals = new SignalStore(_parts.Registry);
        _watchdog = new KitWatchdog(_parts.Health, new KitHealthStore(_parts.Registry), _parts.Kits, _signals, _parts.Store,
            Options.Create(_parts.HealthOptions), _parts.Time, NullLogger<KitWatchdog>.Instance);
    }

    [Fact]
    public async Task A_silent_kit_is_marked_offline_within_three_heartbeat_intervals_without_a_last_will_and_back_online_on_its_next_heartbeat()
    {
        await CreateKitAsync();
        _parts.Health.OnHeartbeat(Heartbeat(60), _parts.Time.GetUtcNow());

        _parts.Time.Advance(TimeSpan.FromSeconds(179));
        await _watchdog.CheckKitsAsync(CancellationToken.None);
        Assert.Equal("online", _parts.Health.View("kit-dog", _parts.Time.GetUtcNow()).Status);
        Assert.Empty(await _signals.SinceAsync(DateTimeOffset.MinValue, CancellationToken.None));

        _parts.Time.Advance(TimeSpan.FromSeconds(1));
        await _watchdog.CheckKitsAsync(CancellationToken.None);
        Assert.Equal("offline", _parts.Health.View("kit-dog", _parts.Time.GetUtcNow()).Status);
        var signal = Assert.Single(await _signals.SinceAsync(DateTimeOffset.MinValue, CancellationToken.None));
        Assert.Equal(("kit-offline", "data-health", _residentId), (signal.Kind, signal.Layer, signal.ResidentId));
        Assert.Null(signal.ResolvedAt);
        Assert.DoesNotContain("wegkwijnen", signal.Reason, StringComparison.OrdinalIgnoreCase);

        _parts.Time.Advance(TimeSpan.FromMinutes(30));
        _parts.Health.OnHeartbeat(Heartbeat(60), _parts.Time.GetUtcNow());
        await _watchdog.CheckKitsAsync(CancellationToken.None);
        Assert.Equal("online", _parts.Health.View("kit-dog", _parts.Time.GetUtcNow()).Status);
        Assert.NotNull(Assert.Single(await _signals.SinceAsync(DateTimeOffset.MinValue, CancellationToken.None)).ResolvedAt);
    }

    [Fact]
    public async Task A_kit_still_being_installed_raises_no_signal_when_it_goes_silent()
    {
        var residentId = (await _parts.Residents.CreateAsync("Mevrouw Smit", null, CancellationToken.None)).ResidentId;
        await _parts.Kits.CreateAsync("kit-new", residentId, [new SensorRecord("door-front", SensorKind.Door, "hal", "front-door")], live: false, CancellationToken.None);
        _parts.Health.OnHeartbeat(Heartbeat(60) with { KitId = "kit-new" }, _parts.Time.GetUtcNow());

        _parts.Time.Advance(TimeSpan.FromMinutes(10));
        await _watchdog.CheckKitsAsync(CancellationToken.None);
        await _watchdog.CheckSensorsAsync(CancellationToken.None);

        Assert.Equal("offline", _parts.Health.View("kit-new", _parts.Time.GetUtcNow()).Status); // shown to the installer
        Assert.Empty(await _signals.SinceAsync(DateTimeOffset.MinValue, CancellationToken.None)); // but nobody is alerted
    }

    [Fact]
    public async Task A_last_will_marks_the_kit_offline_at_the_next_check()
    {
        await CreateKitAsync();
        _parts.Health.OnHeartbeat(Heartbeat(60), _parts.Time.GetUtcNow());
        _parts.Time.Advance(TimeSpan.FromSeconds(5));
        _parts.Health.OnStatus(new KitStatus { KitId = "kit-dog", BootId = _boot, State = KitState.Offline, Ts = _parts.Time.GetUtcNow() }, _parts.Time.GetUtcNow());

        await _watchdog.CheckKitsAsync(CancellationToken.None);

        Assert.Equal("offline", _parts.Health.View("kit-dog", _parts.Time.GetUtcNow()).Status);
        Assert.Single(await _signals.SinceAsync(DateTimeOffset.MinValue, CancellationToken.None));
    }

    [Fact]
    public async Task Last_seen_and_the_latest_heartbeat_survive_a_restart()
    {
        await CreateKitAsync();
        _parts.Health.OnHeartbeat(Heartbeat(60, outboxDepth: 12), _parts.Time.GetUtcNow());
        await _watchdog.CheckKitsAsync(CancellationToken.None);

        var restarted = new KitHealthTracker(_parts.Kits, Options.Create(_parts.HealthOptions));
        restarted.Restore(new KitHealthStore(_parts.Registry).Load());

        var view = restarted.View("kit-dog", _parts.Time.GetUtcNow());
        Assert.Equal(_parts.Time.GetUtcNow(), view.LastHeartbeat);
        Assert.Equal(12, view.Heartbeat!.Outbox.Depth);
    }

    [Fact]
    public async Task A_sensor_silent_for_more_than_three_times_its_longest_gap_becomes_a_sensor_stale_signal_not_inactivity()
    {
        await CreateKitAsync();
        var now = _parts.Time.GetUtcNow();
        var history = Enumerable.Range(0, 14 * 6).Select(i => new EventToStore(new SensorEvent
        {
            KitId = "kit-dog",
            BootId = _boot,
            Seq = i,
            SensorId = "motion-living",
            Kind = SensorKind.Motion,
            State = SensorStates.Active,
            Ts = now.AddHours(-1 - (4 * (83 - i))),
            ClockSynced = true,
        }, now)).ToList();
        await _parts.Store.StoreAsync(history, CancellationToken.None);
        var lastEvent = history[^1].Event.Ts;

        // Longest gap 4 h: stale after 12 h of silence (3 × 4 h, and the 12 h minimum).
        _parts.Time.SetUtcNow(lastEvent.AddHours(11));
        _parts.Health.OnHeartbeat(Heartbeat(60), _parts.Time.GetUtcNow());
        await _watchdog.CheckSensorsAsync(CancellationToken.None);
        Assert.Empty(await _signals.SinceAsync(DateTimeOffset.MinValue, CancellationToken.None));

        _parts.Time.SetUtcNow(lastEvent.AddHours(13));
        _parts.Health.OnHeartbeat(Heartbeat(60), _parts.Time.GetUtcNow());
        await _watchdog.CheckSensorsAsync(CancellationToken.None);
        var signal = Assert.Single(await _signals.SinceAsync(DateTimeOffset.MinValue, CancellationToken.None));
        Assert.Equal(("sensor-stale", "data-health"), (signal.Kind, signal.Layer));
        Assert.Equal(["motion-living"], signal.Sensors);
        Assert.Contains("motion-living", _parts.Health.View("kit-dog", _parts.Time.GetUtcNow()).StaleSensors);
        Assert.NotEqual("inactivity", signal.Kind);
    }

    [Fact]
    public void Staleness_needs_enough_history()
    {
        var now = _parts.Time.GetUtcNow();
        var times = new[] { now.AddDays(-2), now.AddDays(-1) };
        Assert.Null(KitWatchdog.Judge(times, default, now.AddDays(3), _parts.HealthOptions));
        Assert.NotNull(KitWatchdog.Judge(times, default, now.AddDays(6), _parts.HealthOptions));
    }

    public void Dispose() => _parts.Dispose();

    private async Task CreateKitAsync()
    {
        _residentId = (await _parts.Residents.CreateAsync("Meneer de Vries", null, CancellationToken.None)).ResidentId;
        await _parts.Kits.CreateAsync("kit-dog", _residentId,
            [new SensorRecord("door-front", SensorKind.Door, "hal", "front-door"), new SensorRecord("motion-living", SensorKind.Motion, "woonkamer", "presence")],
            CancellationToken.None);
    }

    private Heartbeat Heartbeat(int interval, long outboxDepth = 0) => new()
    {
        KitId = "kit-dog",
        BootId = _boot,
        Ts = _parts.Time.GetUtcNow(),
        UptimeSeconds = 100,
        IntervalSeconds = interval,
        ClockSynced = true,
        Outbox = new OutboxHealth { Depth = outboxDepth, Bytes = 0, CapacityEvents = 1000, CapacityBytes = 1_000_000 },
        SoftwareVersion = "0.1.0",
    };
}
