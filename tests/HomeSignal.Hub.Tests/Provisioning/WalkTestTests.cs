using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Provisioning;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HomeSignal.Hub.Tests.Provisioning;

/// <summary>The walk-test engine on handcrafted events and a fake clock.</summary>
public sealed class WalkTestTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private readonly HubParts _parts = new(Start);
    private readonly FakeTimeProvider _time;
    private readonly WalkTests _tests;
    private readonly string _bootId = Guid.NewGuid().ToString("N");
    private long _seq;

    public WalkTestTests()
    {
        _time = _parts.Time;
        _tests = NewWalkTests();
    }

    public void Dispose() => _parts.Dispose();

    private static KitRecord Kit => new("kit-walk", "r-1", "kit-walk", "hash", Start, null,
    [
        new SensorRecord("button-ok", SensorKind.Button, "woonkamer", "alles goed"),
        new SensorRecord("mailbox-door", SensorKind.MailboxDoor, "voordeur", "post opgehaald"),
        new SensorRecord("motion-living", SensorKind.Motion, "woonkamer", "aanwezigheid"),
        new SensorRecord("door-front", SensorKind.Door, "hal", "voordeur"),
        new SensorRecord("mailbox-flap", SensorKind.MailboxFlap, "voordeur", "post bezorgd"),
        new SensorRecord("motion-bedroom", SensorKind.Motion, "slaapkamer", "opstaan"),
    ]);

    [Fact]
    public void Steps_run_door_then_motion_room_by_room_then_post_flap_then_post_box_door_with_buttons_last()
    {
        var view = _tests.Start(Kit);

        Assert.Equal(["door-front", "motion-living", "motion-bedroom", "mailbox-flap", "mailbox-door", "button-ok"], view.Steps.Select(s => s.SensorId));
        Assert.Equal("door-front", view.CurrentSensorId);
        Assert.Equal("Open de voordeur en sluit hem weer", view.Steps[0].Instruction);
        Assert.Equal("Loop langs de bewegingssensor in de woonkamer", view.Steps[1].Instruction);
        Assert.Equal("Duw de klep van de brievenbus open", view.Steps[3].Instruction);
        Assert.True(view.Steps[5].Optional);
        Assert.All(view.Steps.Skip(1), s => Assert.Equal("waiting", s.Status));
    }

    [Fact]
    public void The_walk_test_passes_when_every_required_sensor_sends_its_events_and_buttons_are_optional()
    {
        _tests.Start(Kit);

        Contact("door-front", SensorKind.Door, SensorStates.Open, SensorStates.Closed);
        Assert.Equal("motion-living", View().CurrentSensorId);
        Event("motion-living", SensorKind.Motion, SensorStates.Active);
        Event("motion-bedroom", SensorKind.Motion, SensorStates.Active);
        Contact("mailbox-flap", SensorKind.MailboxFlap, SensorStates.Open, SensorStates.Closed);
        Assert.False(View().Passed);
        Contact("mailbox-door", SensorKind.MailboxDoor, SensorStates.Open, SensorStates.Closed);

        var view = View();
        Assert.True(view.Passed);
        Assert.Equal("button-ok", view.CurrentSensorId);
        Assert.All(view.Steps.Take(5), s => Assert.Equal("passed", s.Status));
        Assert.Equal(2, view.Steps[0].Events);
        Assert.True(_tests.HasPassed("kit-walk"));
    }

    [Fact]
    public void A_kit_with_only_a_button_never_passes_the_walk_test()
    {
        _tests.Start(Kit with { KitId = "kit-button", Sensors = [new SensorRecord("button-ok", SensorKind.Button, "woonkamer", "alles goed")] });

        Assert.False(_tests.View("kit-button")!.Passed);
        Assert.False(_tests.HasPassed("kit-button"));
    }

    [Fact]
    public void A_contact_that_reports_closed_when_opened_fails_as_inverted_with_an_explanation()
    {
        _tests.Start(Kit);

        Contact("door-front", SensorKind.Door, SensorStates.Closed, SensorStates.Open);

        var door = View().Steps[0];
        Assert.Equal("failed", door.Status);
        Assert.Equal("inverted", door.Problem);
        Assert.Equal("De sensor meldt dicht als hij open gaat: de draden of de instelling 'Contact' staan omgekeerd.", door.Explanation);
        Assert.Equal("motion-living", View().CurrentSensorId);
        Assert.False(View().Passed);
    }

    [Fact]
    public void A_contact_changing_more_than_the_bounce_limit_within_the_window_fails_as_bouncing()
    {
        _tests.Start(Kit);

        for (var i = 0; i < 7; i++)
        {
            // The first open → closed passes the step; the chatter after it turns it into a failure.
            Event("door-front", SensorKind.Door, i % 2 == 0 ? SensorStates.Open : SensorStates.Closed, TimeSpan.FromMilliseconds(200));
        }

        var door = View().Steps[0];
        Assert.Equal("failed", door.Status);
        Assert.Equal("bouncing", door.Problem);
    }

    [Fact]
    public void Slow_open_close_cycles_are_not_bouncing()
    {
        _tests.Start(Kit);

        Event("door-front", SensorKind.Door, SensorStates.Open, TimeSpan.FromSeconds(1));
        Event("door-front", SensorKind.Door, SensorStates.Closed, TimeSpan.FromSeconds(5));

        Assert.Equal("passed", View().Steps[0].Status);
    }

    [Fact]
    public void A_step_without_any_event_fails_as_no_event_after_the_step_timeout_and_the_next_one_becomes_current()
    {
        _tests.Start(Kit);

        _time.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal("current", View().Steps[0].Status);
        _time.Advance(TimeSpan.FromSeconds(1));

        var view = View();
        Assert.Equal("failed", view.Steps[0].Status);
        Assert.Equal("no-event", view.Steps[0].Problem);
        Assert.Equal("motion-living", view.CurrentSensorId);
        _time.Advance(TimeSpan.FromSeconds(120));
        Assert.Equal("motion-bedroom", View().CurrentSensorId);
    }

    [Fact]
    public void Retrying_a_failed_step_makes_it_current_again_and_it_can_then_pass()
    {
        _tests.Start(Kit);
        Contact("door-front", SensorKind.Door, SensorStates.Closed, SensorStates.Open);
        Assert.Equal("inverted", View().Steps[0].Problem);

        Assert.True(_tests.Retry("kit-walk", "door-front"));
        var retried = View();
        Assert.Equal("door-front", retried.CurrentSensorId);
        Assert.Equal("current", retried.Steps[0].Status);
        Assert.Null(retried.Steps[0].Problem);
        Assert.Equal("waiting", retried.Steps[1].Status);

        Contact("door-front", SensorKind.Door, SensorStates.Open, SensorStates.Closed);
        Assert.Equal("passed", View().Steps[0].Status);
        Assert.False(_tests.Retry("kit-walk", "no-such-sensor"));
        Assert.Null(_tests.Retry("kit-other", "door-front"));
    }

    [Fact]
    public void A_reading_from_before_the_retry_that_arrives_after_it_does_not_fail_the_fresh_attempt()
    {
        _tests.Start(Kit);
        Contact("door-front", SensorKind.Door, SensorStates.Closed, SensorStates.Open);
        _time.Advance(TimeSpan.FromSeconds(2));
        var rewiredAtRest = new SensorEvent { KitId = "kit-walk", BootId = _bootId, Seq = _seq++, SensorId = "door-front", Kind = SensorKind.Door, State = SensorStates.Closed, Ts = _time.GetUtcNow(), ClockSynced = true };
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(_tests.Retry("kit-walk", "door-front"));
        _tests.OnStored([new EventToStore(rewiredAtRest, _time.GetUtcNow())]);
        var afterLateReading = View();
        Assert.Equal("current", afterLateReading.Steps[0].Status);
        Assert.Null(afterLateReading.Steps[0].Problem);

        Contact("door-front", SensorKind.Door, SensorStates.Open, SensorStates.Closed);
        Assert.Equal("passed", View().Steps[0].Status);
    }

    [Fact]
    public void Events_of_other_kits_quarantined_events_and_kit_lifecycle_events_do_not_count()
    {
        _tests.Start(Kit);
        var other = new SensorEvent { KitId = "kit-other", BootId = _bootId, Seq = _seq++, SensorId = "door-front", Kind = SensorKind.Door, State = SensorStates.Open, Ts = _time.GetUtcNow(), ClockSynced = true };
        var quarantined = other with { KitId = "kit-walk", Seq = _seq++ };
        var boot = other with { KitId = "kit-walk", Seq = _seq++, SensorId = SensorStates.KitSensorId, Kind = SensorKind.Kit, State = SensorStates.Boot };

        _tests.OnStored([new EventToStore(other, _time.GetUtcNow()), new EventToStore(quarantined, _time.GetUtcNow(), "clock"), new EventToStore(boot, _time.GetUtcNow())]);

        Assert.Equal(0, View().Steps[0].Events);
    }

    [Fact]
    public async Task A_walk_test_restored_from_the_registry_keeps_its_steps_problems_counts_and_step_clock()
    {
        await RegisterKitAsync();
        _tests.Start(Kit);
        Contact("door-front", SensorKind.Door, SensorStates.Closed, SensorStates.Open); // inverted
        Event("motion-living", SensorKind.Motion, SensorStates.Active);
        _time.Advance(TimeSpan.FromSeconds(60)); // motion-bedroom has been current for 60 of its 120 s
        var before = View();

        var restarted = NewWalkTests();

        var after = restarted.View("kit-walk")!;
        Assert.Equivalent(before, after, strict: true);
        Assert.Equal("inverted", after.Steps[0].Problem);
        Assert.Equal(2, after.Steps[0].Events);
        Assert.Equal("motion-bedroom", after.CurrentSensorId);

        // The step clock carried over: 60 more seconds time the bedroom sensor out, not 120.
        _time.Advance(TimeSpan.FromSeconds(60));
        var timedOut = restarted.View("kit-walk")!;
        Assert.Equal("no-event", timedOut.Steps.Single(s => s.SensorId == "motion-bedroom").Problem);
        Assert.Equal("mailbox-flap", timedOut.CurrentSensorId);

        // A retry and events after the restart are saved too, and passing still needs every required step.
        Assert.True(restarted.Retry("kit-walk", "door-front"));
        Assert.False(restarted.HasPassed("kit-walk"));
        restarted.Remove("kit-walk");
        Assert.Null(NewWalkTests().View("kit-walk"));
    }

    [Fact]
    public async Task A_saved_walk_test_that_cannot_be_read_or_whose_kit_is_gone_is_dropped_without_stopping_the_others()
    {
        await RegisterKitAsync();
        await RegisterKitAsync("kit-broken");
        await RegisterKitAsync("kit-odd");
        await RegisterKitAsync("kit-revoked");
        _tests.Start(Kit);
        _tests.Start(Kit with { KitId = "kit-revoked" });
        _tests.Start(Kit with { KitId = "kit-unknown" });
        await _parts.Kits.RevokeAsync("kit-revoked", CancellationToken.None);
        var store = new WalkTestStore(_parts.Registry);
        store.Save("kit-broken", "{ not json", _time.GetUtcNow());
        store.Save("kit-odd", """{"kitId":"kit-odd","startedAt":"2026-03-02T10:00:00+00:00","steps":[{"sensorId":"x","kind":"teapot","status":"passed"}]}""", _time.GetUtcNow());

        var restarted = NewWalkTests();

        Assert.NotNull(restarted.View("kit-walk"));
        Assert.Null(restarted.View("kit-broken"));
        Assert.Null(restarted.View("kit-odd"));
        Assert.Null(restarted.View("kit-revoked"));
        Assert.Null(restarted.View("kit-unknown"));
        Assert.Equal(["kit-walk"], store.LoadAll().Select(t => t.KitId));
    }

    private Hub.Provisioning.WalkTestView View() => _tests.View("kit-walk")!;

    /// <summary>Walk tests over the registry file, as a (re)started hub makes them.</summary>
    private WalkTests NewWalkTests() =>
        new(new WalkTestStore(_parts.Registry), _parts.Kits, Options.Create(new ProvisioningOptions()), _time, NullLogger<WalkTests>.Instance);

    /// <summary>Registers <see cref="Kit"/> as an installing kit, as enrolment does (a restored walk test needs its kit).</summary>
    private Task<KitCredentials> RegisterKitAsync(string kitId = "kit-walk") => _parts.Kits.CreateAsync(kitId, null, Kit.Sensors, live: false, CancellationToken.None);

    private void Contact(string sensorId, SensorKind kind, string first, string second)
    {
        Event(sensorId, kind, first, TimeSpan.FromSeconds(1));
        Event(sensorId, kind, second, TimeSpan.FromSeconds(3));
    }

    private void Event(string sensorId, SensorKind kind, string state, TimeSpan? after = null)
    {
        _time.Advance(after ?? TimeSpan.FromSeconds(1));
        var e = new SensorEvent { KitId = "kit-walk", BootId = _bootId, Seq = _seq++, SensorId = sensorId, Kind = kind, State = state, Ts = _time.GetUtcNow(), ClockSynced = true };
        _tests.OnStored([new EventToStore(e, _time.GetUtcNow())]);
    }
}
