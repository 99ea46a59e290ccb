using System.Device.Gpio;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Edge.Sensors;
using Microsoft.Extensions.Time.Testing;

namespace HomeSignal.Edge.Tests.Sensors;

public sealed class DebounceTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reed_bounce_on_opening_and_closing_yields_one_open_and_one_closed()
    {
        using var rig = new Rig(Door(ContactType.NormallyOpen, PullMode.Up), initial: PinValue.Low);

        // Opening: the contact chatters for a few milliseconds before settling open (high).
        rig.Bounce(PinValue.High, PinValue.Low, PinValue.High, PinValue.Low, PinValue.High);
        rig.Advance(TimeSpan.FromSeconds(2));
        rig.Bounce(PinValue.Low, PinValue.High, PinValue.Low, PinValue.High, PinValue.Low);
        rig.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal([SensorStates.Open, SensorStates.Closed], rig.States);
        Assert.Equal(Start, rig.Changes[0].Ts);
    }

    [Fact]
    public void A_real_open_close_pair_shorter_than_the_debounce_window_is_not_lost()
    {
        using var rig = new Rig(Door(ContactType.NormallyOpen, PullMode.Up, debounceMs: 30), initial: PinValue.Low);

        rig.Level(PinValue.High);
        rig.Advance(TimeSpan.FromMilliseconds(10));
        rig.Level(PinValue.Low);
        rig.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal([SensorStates.Open, SensorStates.Closed], rig.States);
        Assert.Equal(Start, rig.Changes[0].Ts);
        Assert.Equal(Start.AddMilliseconds(30), rig.Changes[1].Ts);
    }

    [Fact]
    public void A_post_flap_that_swings_open_and_shut_many_times_reports_every_settled_swing()
    {
        using var rig = new Rig(Door(ContactType.NormallyOpen, PullMode.Up, debounceMs: 20, kind: SensorKind.MailboxFlap), initial: PinValue.Low);

        for (var i = 0; i < 3; i++)
        {
            rig.Bounce(PinValue.High, PinValue.Low, PinValue.High);
            rig.Advance(TimeSpan.FromMilliseconds(200));
            rig.Bounce(PinValue.Low, PinValue.High, PinValue.Low);
            rig.Advance(TimeSpan.FromMilliseconds(200));
        }

        Assert.Equal(6, rig.Changes.Count);
        Assert.All(rig.Changes.Where((_, i) => i % 2 == 0), c => Assert.Equal(SensorStates.Open, c.State));
        Assert.All(rig.Changes.Where((_, i) => i % 2 == 1), c => Assert.Equal(SensorStates.Closed, c.State));
    }

    [Theory]
    [InlineData(ContactType.NormallyOpen, PullMode.Up, true)]
    [InlineData(ContactType.NormallyOpen, PullMode.Down, false)]
    [InlineData(ContactType.NormallyClosed, PullMode.Up, false)]
    [InlineData(ContactType.NormallyClosed, PullMode.Down, true)]
    public void Polarity_follows_contact_type_and_pull_mode(ContactType contact, PullMode pull, bool openIsHigh)
    {
        var open = openIsHigh ? PinValue.High : PinValue.Low;
        var closed = openIsHigh ? PinValue.Low : PinValue.High;
        using var rig = new Rig(Door(contact, pull), initial: closed);

        rig.Level(open);
        rig.Advance(TimeSpan.FromSeconds(1));
        rig.Level(closed);
        rig.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal([SensorStates.Open, SensorStates.Closed], rig.States);
    }

    [Fact]
    public void An_explicit_active_level_overrides_the_derived_one()
    {
        var options = Door(ContactType.NormallyOpen, PullMode.Up);
        options.ActiveLevel = Level.Low;
        using var rig = new Rig(options, initial: PinValue.High);

        rig.Level(PinValue.Low);
        rig.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal([SensorStates.Open], rig.States);
    }

    [Fact]
    public void A_late_debounce_timer_on_a_busy_machine_does_not_swallow_a_real_change()
    {
        var time = new StalledTimers(new FakeTimeProvider(Start));
        using var rig = new Rig(Door(ContactType.NormallyOpen, PullMode.Up, debounceMs: 30), initial: PinValue.Low, time);

        rig.Level(PinValue.High);
        rig.Level(PinValue.Low);
        time.Inner.Advance(TimeSpan.FromMilliseconds(150));
        rig.Level(PinValue.High);

        Assert.Equal([SensorStates.Open, SensorStates.Closed, SensorStates.Open], rig.States);
        Assert.Equal([Start, Start.AddMilliseconds(30), Start.AddMilliseconds(150)], rig.Changes.Select(c => c.Ts));
    }

    [Fact]
    public void Pir_retriggers_collapse_into_one_activity_period()
    {
        using var rig = new Rig(Motion(quietSeconds: 30), initial: PinValue.Low);

        rig.Level(PinValue.High);
        rig.Advance(TimeSpan.FromSeconds(3));
        rig.Level(PinValue.Low);
        rig.Advance(TimeSpan.FromSeconds(10));
        rig.Level(PinValue.High);
        rig.Advance(TimeSpan.FromSeconds(3));
        rig.Level(PinValue.Low);
        var lastLow = rig.Time.GetUtcNow();
        rig.Advance(TimeSpan.FromSeconds(29));

        Assert.Equal([SensorStates.Active], rig.States);

        rig.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal([SensorStates.Active, SensorStates.Inactive], rig.States);
        Assert.Equal(lastLow, rig.Changes[1].Ts);
    }

    [Fact]
    public void Pir_activity_separated_by_more_than_the_quiet_time_gives_two_periods()
    {
        using var rig = new Rig(Motion(quietSeconds: 30), initial: PinValue.Low);

        rig.Level(PinValue.High);
        rig.Advance(TimeSpan.FromSeconds(3));
        rig.Level(PinValue.Low);
        rig.Advance(TimeSpan.FromMinutes(5));
        rig.Level(PinValue.High);
        rig.Advance(TimeSpan.FromSeconds(3));
        rig.Level(PinValue.Low);
        rig.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal([SensorStates.Active, SensorStates.Inactive, SensorStates.Active, SensorStates.Inactive], rig.States);
    }

    [Fact]
    public void A_button_press_with_contact_chatter_is_one_press_and_release_is_silent()
    {
        var button = new SensorPinOptions { Id = "button-ok", Kind = SensorKind.Button, Pin = 26, Pull = PullMode.Up, ActiveLevel = Level.Low, DebounceMilliseconds = 50 };
        using var rig = new Rig(button, initial: PinValue.High);

        rig.Bounce(PinValue.Low, PinValue.High, PinValue.Low);
        rig.Advance(TimeSpan.FromMilliseconds(300));
        rig.Bounce(PinValue.High, PinValue.Low, PinValue.High);
        rig.Advance(TimeSpan.FromMilliseconds(300));

        Assert.Equal([SensorStates.Pressed], rig.States);
    }

    [Fact]
    public void Health_reports_the_current_state_and_last_change()
    {
        using var rig = new Rig(Door(ContactType.NormallyOpen, PullMode.Up), initial: PinValue.Low);
        Assert.Equal(SensorStates.Closed, rig.Monitor.Health().State);
        Assert.Null(rig.Monitor.Health().LastChange);

        rig.Advance(TimeSpan.FromSeconds(5));
        rig.Level(PinValue.High);

        Assert.Equal(SensorStates.Open, rig.Monitor.Health().State);
        Assert.Equal(Start.AddSeconds(5), rig.Monitor.Health().LastChange);
    }

    private static SensorPinOptions Door(ContactType contact, PullMode pull, int debounceMs = 30, SensorKind kind = SensorKind.Door) =>
        new() { Id = "door-front", Kind = kind, Pin = 17, Contact = contact, Pull = pull, DebounceMilliseconds = debounceMs };

    private static SensorPinOptions Motion(int quietSeconds) =>
        new() { Id = "motion-living", Kind = SensorKind.Motion, Pin = 27, ActiveLevel = Level.High, Pull = PullMode.Down, DebounceMilliseconds = 50, QuietSeconds = quietSeconds };

    /// <summary>Fake time whose timers never fire: a thread pool so busy that the debounce timer is late.</summary>
    private sealed class StalledTimers(FakeTimeProvider inner) : TimeProvider
    {
        public FakeTimeProvider Inner { get; } = inner;

        public override DateTimeOffset GetUtcNow() => Inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            Inner.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A sensor on the simulated driver, through a real GpioController, on fake time.</summary>
    private sealed class Rig : IDisposable
    {
        private readonly SimulatedGpioDriver _driver = new();
        private readonly GpioController _controller;
        private readonly int _pin;

        public Rig(SensorPinOptions options, PinValue initial, TimeProvider? time = null)
        {
            Clock = time ?? Time;
            _pin = options.Pin!.Value;
            _controller = new GpioController(_driver);
            _controller.OpenPin(_pin, options.ResolvePinMode());
            _driver.SetLevel(_pin, initial);
            Monitor = new SensorMonitor(options, () => _controller.Read(_pin), Changes.Add, Clock);
            Monitor.Start();
            _controller.RegisterCallbackForPinValueChangedEvent(_pin, PinEventTypes.Rising | PinEventTypes.Falling, (_, _) => Monitor.OnEdge());
        }

        public FakeTimeProvider Time { get; } = new(Start);

        public TimeProvider Clock { get; }

        public SensorMonitor Monitor { get; }

        public List<SensorChange> Changes { get; } = [];

        public string[] States => [.. Changes.Select(c => c.State)];

        public void Level(PinValue value) => _driver.SetLevel(_pin, value);

        /// <summary>Levels one millisecond apart, as a chattering contact produces them.</summary>
        public void Bounce(params PinValue[] levels)
        {
            foreach (var level in levels)
            {
                Level(level);
                Advance(TimeSpan.FromMilliseconds(1));
            }
        }

        public void Advance(TimeSpan by)
        {
            // Step in small increments so timers fire at their own due times.
            var end = Time.GetUtcNow() + by;
            while (Time.GetUtcNow() < end)
            {
                var step = TimeSpan.FromMilliseconds(Math.Min(10, (end - Time.GetUtcNow()).TotalMilliseconds));
                Time.Advance(step);
            }
        }

        public void Dispose()
        {
            Monitor.Dispose();
            _controller.Dispose();
        }
    }
}
