using HomeSignal.Detection.Acute;
using HomeSignal.Detection.History;
using HomeSignal.Detection.Replay;
using HomeSignal.Detection.Signals;

namespace HomeSignal.Detection.Tests.Acute;

public class AcuteRuleTests
{
    private static readonly DateOnly Start = new(2025, 5, 5);
    private static readonly DateOnly Day = Start.AddDays(35);

    private static HistoryReplay Replay(TestHome home, DateTimeOffset until, IReadOnlyList<OfflineInterval>? offline = null,
        IReadOnlyList<ContextPeriod>? context = null) =>
        HistoryReplay.Run("r-test", TestHome.Sensors, home.Readings, new DetectionOptions(), until, offline, context);

    private static List<Signal> On(HistoryReplay replay, DateOnly date) =>
        replay.Signals.Where(s => LocalClock.LocalDate(s.RaisedAt) == date).ToList();

    [Fact]
    public void Thirty_five_ordinary_days_raise_no_acute_signal()
    {
        var home = new TestHome().NormalDays(Start, 36);
        var replay = Replay(home, TestHome.At(Day.AddDays(1), 0));

        Assert.DoesNotContain(replay.Signals, s => s.Layer is SignalLayer.Acute);
    }

    [Fact]
    public void Not_up_is_raised_after_the_personal_deadline_and_not_before()
    {
        var home = new TestHome().NormalDays(Start, 35);
        var replay = Replay(home, TestHome.At(Day, 13));

        var notUp = Assert.Single(On(replay, Day), s => s.Kind == SignalKind.NotUp);
        var local = LocalClock.LocalMinuteOfDay(notUp.RaisedAt);
        Assert.InRange(local, 7 * 60 + 30, 10 * 60);
        Assert.Equal(SignalSeverity.Urgent, notUp.Severity);
        Assert.Contains("nog geen beweging", notUp.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(notUp.NormalRange);
        Assert.NotEmpty(notUp.Question);
    }

    [Fact]
    public void Not_up_waits_for_the_later_rising_of_a_late_weekday()
    {
        var home = new TestHome();
        for (var i = 0; i < 35; i++)
        {
            var d = Start.AddDays(i);
            home.NormalDay(d, d.DayOfWeek == DayOfWeek.Sunday ? 570 : 420);
        }

        var sunday = Start.AddDays(35);
        while (sunday.DayOfWeek != DayOfWeek.Sunday)
        {
            sunday = sunday.AddDays(1);
        }

        for (var d = Start.AddDays(35); d < sunday; d = d.AddDays(1))
        {
            home.NormalDay(d, 420);
        }

        home.NormalDay(sunday, 590);
        var replay = Replay(home, TestHome.At(sunday, 23));

        // After the learning period (in which the population prior may still call a first late Sunday).
        var notUp = replay.Signals.Where(s => s.Kind == SignalKind.NotUp && s.RaisedAt > TestHome.At(Start.AddDays(28), 0)).Select(s => $"{LocalClock.ToLocal(s.RaisedAt)}: {s.Reason}").ToList();
        Assert.Empty(notUp);
    }

    [Fact]
    public void Inactivity_while_home_is_raised_within_two_hours_of_the_last_movement()
    {
        var home = new TestHome().NormalDays(Start, 35);
        home.Motion(TestHome.At(Day, 7), TestHome.Bedroom).Active(Day, 423, 600);
        var replay = Replay(home, TestHome.At(Day, 18));

        var signal = Assert.Single(On(replay, Day), s => s.Layer == SignalLayer.Acute);
        Assert.Equal(SignalKind.Inactivity, signal.Kind);
        var delay = signal.RaisedAt - signal.Since!.Value;
        Assert.InRange(delay, TimeSpan.FromMinutes(30), TimeSpan.FromHours(2));
        Assert.Contains("geen beweging", signal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resident_who_went_out_is_away_not_inactive()
    {
        var home = new TestHome().NormalDays(Start, 35);
        home.Motion(TestHome.At(Day, 7), TestHome.Bedroom).Active(Day, 423, 600);
        home.Outing(Day, 601, 1000);
        home.Active(Day, 1002, 1350);
        var replay = Replay(home, TestHome.At(Day, 23));

        Assert.DoesNotContain(On(replay, Day), s => s.Layer == SignalLayer.Acute);
    }

    [Fact]
    public void A_dead_sensor_is_reported_as_a_sensor_and_does_not_look_like_inactivity()
    {
        var home = new TestHome().NormalDays(Start, 35);
        // The living-room PIR dies: the resident keeps living, other rooms keep reporting.
        for (var i = 0; i < 3; i++)
        {
            home.NormalDay(Day.AddDays(i), deadSensor: TestHome.Living);
        }

        var replay = Replay(home, TestHome.At(Day.AddDays(3), 0));

        Assert.DoesNotContain(replay.Signals, s => s.Kind is SignalKind.Inactivity or SignalKind.NotUp);
        var stale = Assert.Single(replay.Signals, s => s.Kind == SignalKind.SensorStale);
        Assert.Equal([TestHome.Living], stale.Sensors);
        Assert.Equal(SignalLayer.DataHealth, stale.Layer);
    }

    [Fact]
    public void A_dead_kit_is_reported_as_the_kit_and_never_as_a_calm_morning()
    {
        // The kit loses its connection overnight; the morning's events are buffered and arrive when it is back.
        var home = new TestHome().NormalDays(Start, 35).NormalDay(Day);
        var outage = new OfflineInterval(TestHome.At(Day, 2), TestHome.At(Day, 14));
        var replay = Replay(home, TestHome.At(Day, 23), offline: [outage]);

        var kit = Assert.Single(On(replay, Day));
        Assert.Equal(SignalKind.KitOffline, kit.Kind);
        Assert.Equal(SignalLayer.DataHealth, kit.Layer);
        Assert.Equal(TestHome.At(Day, 3), kit.RaisedAt);
        Assert.Contains("geen bericht is niet altijd goed bericht", kit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kit_back_without_buffered_events_does_not_count_the_outage_as_inactivity()
    {
        var home = new TestHome().NormalDays(Start, 35);
        home.Motion(TestHome.At(Day, 7), TestHome.Bedroom).Active(Day, 423, 600);
        home.Active(Day, 16 * 60 + 5, 1350);
        var outage = new OfflineInterval(TestHome.At(Day, 10), TestHome.At(Day, 16));
        var replay = Replay(home, TestHome.At(Day, 23), offline: [outage]);

        Assert.Equal([SignalKind.KitOffline], On(replay, Day).Select(s => s.Kind));
    }

    [Fact]
    public void Front_door_open_at_night_is_raised_after_fifteen_minutes()
    {
        var home = new TestHome().NormalDays(Start, 35);
        home.NormalDay(Day);
        var night = Day.AddDays(1);
        home.Motion(TestHome.At(night, 1, 0), TestHome.Hall).Door(TestHome.At(night, 1, 1), true)
            .Motion(TestHome.At(night, 1, 3), TestHome.Hall).Motion(TestHome.At(night, 1, 5), TestHome.Bedroom);
        var replay = Replay(home, TestHome.At(night, 3));

        var door = Assert.Single(replay.Signals, s => s.Kind == SignalKind.DoorOpenNight);
        Assert.Equal(TestHome.At(night, 1, 16), door.RaisedAt);
        Assert.DoesNotContain(replay.Signals, s => s.Kind == SignalKind.NightExit);
    }

    [Fact]
    public void A_night_exit_without_return_escalates_at_once()
    {
        var home = new TestHome().NormalDays(Start, 35);
        home.NormalDay(Day);
        var night = Day.AddDays(1);
        home.Motion(TestHome.At(night, 2, 0), TestHome.Hall).Door(TestHome.At(night, 2, 1), true).Door(TestHome.At(night, 2, 2), false);
        var replay = Replay(home, TestHome.At(night, 4));

        var exit = Assert.Single(replay.Signals, s => s.Layer == SignalLayer.Acute);
        Assert.Equal(SignalKind.NightExit, exit.Kind);
        Assert.Equal(SignalSeverity.Urgent, exit.Severity);
        Assert.Equal(TestHome.At(night, 2, 31), exit.RaisedAt);
    }

    [Fact]
    public void A_restless_night_far_beyond_the_usual_visits_is_raised()
    {
        var home = new TestHome().NormalDays(Start, 35);
        home.NormalDay(Day);
        var night = Day.AddDays(1);
        for (var m = 30; m < 290; m += 30)
        {
            home.Motion(LocalClock.At(night, m), TestHome.Bathroom);
        }

        var replay = Replay(home, TestHome.At(night, 5));

        var restless = Assert.Single(replay.Signals, s => s.Kind == SignalKind.NightRestless);
        Assert.Contains("keer uit bed", restless.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_holiday_entered_by_staff_silences_the_behaviour_rules()
    {
        var home = new TestHome().NormalDays(Start, 35);
        home.Motion(TestHome.At(Day, 7), TestHome.Bedroom).Active(Day, 423, 540).Outing(Day, 541, 60 * 24 * 7 + 1020);
        home.Active(Day.AddDays(7), 1022, 1350);
        home.NormalDays(Day.AddDays(8), 3);
        var holiday = new ContextPeriod(ContextKind.Holiday, TestHome.At(Day, 0), TestHome.At(Day.AddDays(7), 18));
        var replay = Replay(home, TestHome.At(Day.AddDays(11), 0), context: [holiday]);

        Assert.DoesNotContain(replay.Signals, s => s.Layer == SignalLayer.Acute);
        Assert.All(replay.Days.Where(d => d.Date >= Day && d.Date < Day.AddDays(7)), d => Assert.True(d.Away));
    }

    [Fact]
    public void An_unentered_absence_is_inferred_from_the_door_and_raises_nothing()
    {
        var home = new TestHome().NormalDays(Start, 35);
        home.Motion(TestHome.At(Day, 7), TestHome.Bedroom).Active(Day, 423, 540).Outing(Day, 541, 60 * 24 * 2 + 1020);
        home.Active(Day.AddDays(2), 1022, 1350);
        var replay = Replay(home, TestHome.At(Day.AddDays(3), 0));

        Assert.DoesNotContain(replay.Signals, s => s.Layer == SignalLayer.Acute);
    }

    [Fact]
    public void Evaluate_is_a_function_of_the_instant_and_gives_stable_ids()
    {
        var home = new TestHome().NormalDays(Start, 35);
        var replay = Replay(home, TestHome.At(Day, 12));
        var first = AcuteEngine.Evaluate(replay.State, TestHome.At(Day, 12));
        var again = AcuteEngine.Evaluate(replay.State, TestHome.At(Day, 12).AddMinutes(1));

        Assert.Equal(first.Select(s => s.SignalId), again.Select(s => s.SignalId));
        Assert.Contains(first, s => s.Kind == SignalKind.NotUp);
    }

    [Fact]
    public void The_learning_period_is_shown_as_progress()
    {
        var home = new TestHome().NormalDays(Start, 8);
        var replay = Replay(home, TestHome.At(Start.AddDays(8), 13));

        var notUp = Assert.Single(replay.Signals, s => s.Kind == SignalKind.NotUp);
        Assert.Contains("leren: dag 9 van 14", notUp.NormalRange, StringComparison.Ordinal);
    }
}
