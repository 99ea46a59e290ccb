using HomeSignal.Detection.Decline;
using HomeSignal.Detection.Features;
using HomeSignal.Detection.History;
using HomeSignal.Detection.Labels;
using HomeSignal.Detection.Signals;

namespace HomeSignal.Detection.Tests.Decline;

public class DeclineTests
{
    private static readonly DeclineOptions Options = new();

    /// <summary>Steady daily features with a little day-to-day wobble; <paramref name="outingFactor"/> scales outings per day index.</summary>
    private static List<DailyFeatures> Days(DateOnly first, int count, Func<int, double> outingFactor, Func<int, double>? motionFactor = null)
    {
        var days = new List<DailyFeatures>();
        for (var i = 0; i < count; i++)
        {
            var wobble = (i % 3) - 1;
            var f = outingFactor(i);
            var m = motionFactor?.Invoke(i) ?? 1;
            days.Add(new DailyFeatures
            {
                Date = first.AddDays(i),
                Outings = (int)Math.Round((2 + wobble * 0.7) * f),
                MinutesOut = (150 + wobble * 30) * f,
                MotionCount = (int)(250 * m) + wobble * 10,
                RoomChanges = (int)(55 * m) + wobble * 3,
                ActiveHours = 17,
                RoomsVisited = 5,
                FirstActivity = 420 + wobble * 20,
                NightVisits = i % 2,
                NightMotion = 5 + wobble,
                PostDelivered = first.AddDays(i).DayOfWeek is not (DayOfWeek.Sunday or DayOfWeek.Monday),
                PostCollected = true,
            });
        }

        return days;
    }

    private static List<Signal> Run(List<DailyFeatures> days, IReadOnlyList<ContextPeriod>? context = null, DeclineOptions? options = null)
    {
        options ??= Options;
        var series = new DeclineSeries(days, context ?? [], options);
        var season = SeasonalReference.Prior(options);
        var lastRaised = new Dictionary<SignalKind, DateOnly>();
        var signals = new List<Signal>();
        for (var i = 0; i < days.Count; i++)
        {
            signals.AddRange(DeclineAnalyzer.Evaluate("r-test", series, i, season, options, LabelAdjustments.None, lastRaised));
        }

        return signals;
    }

    [Fact]
    public void Fewer_outings_over_four_weeks_are_raised_within_two_weeks_of_full_effect()
    {
        var first = new DateOnly(2025, 5, 1);
        const int onset = 70;
        var days = Days(first, 140, i => i < onset ? 1 : Math.Max(0.4, 1 - 0.6 * (i - onset) / 28.0));

        var signal = Assert.Single(Run(days));

        Assert.Equal(SignalKind.DeclineOutings, signal.Kind);
        Assert.Equal(SignalLayer.Decline, signal.Layer);
        var day = LocalClock.LocalDate(signal.RaisedAt).DayNumber - first.DayNumber;
        Assert.InRange(day, onset + 7, onset + 28 + 14);
        Assert.Equal("Minder vaak naar buiten", signal.Title);
        Assert.Contains("de zes weken vóór de twee weken daarvoor", signal.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("wegkwijnen", signal.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(signal.NormalRange);
    }

    [Fact]
    public void Less_movement_in_the_home_is_raised_when_two_metrics_agree()
    {
        var first = new DateOnly(2025, 5, 1);
        const int onset = 70;
        var days = Days(first, 140, _ => 1, i => i < onset ? 1 : Math.Max(0.7, 1 - 0.3 * (i - onset) / 28.0));

        var signal = Assert.Single(Run(days));

        Assert.Equal(SignalKind.DeclineMovement, signal.Kind);
    }

    [Fact]
    public void The_ordinary_winter_dip_in_outings_is_not_a_decline()
    {
        // Outings follow the healthy seasonal curve: halved from November, as in the calibration figures.
        var first = new DateOnly(2025, 8, 1);
        var days = Days(first, 150, i => DeclineMetrics.SeasonalPrior(DeclineMetric.Outings, first.AddDays(i)));

        Assert.DoesNotContain(Run(days), s => s.Layer == SignalLayer.Decline);
    }

    [Fact]
    public void A_real_drop_in_winter_is_still_seen_beyond_the_season()
    {
        var first = new DateOnly(2025, 8, 1);
        const int onset = 100;
        var days = Days(first, 170, i => DeclineMetrics.SeasonalPrior(DeclineMetric.Outings, first.AddDays(i))
            * (i < onset ? 1 : Math.Max(0.3, 1 - 0.7 * (i - onset) / 28.0)));

        Assert.Contains(Run(days), s => s.Kind == SignalKind.DeclineOutings);
    }

    [Fact]
    public void Post_left_in_the_box_for_three_delivery_days_while_home_is_raised()
    {
        var first = new DateOnly(2025, 5, 1);
        var days = Days(first, 60, _ => 1);
        var pending = 0;
        for (var i = 50; i < 60; i++)
        {
            days[i].PostCollected = false;
            pending += days[i].PostDelivered ? 1 : 0;
            days[i].UncollectedDeliveryDays = pending;
        }

        var signal = Assert.Single(Run(days));
        Assert.Equal(SignalKind.DeclinePost, signal.Kind);
        Assert.Contains("niet opgehaald", signal.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("geopend", signal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Post_waiting_during_a_holiday_is_not_raised()
    {
        var first = new DateOnly(2025, 5, 1);
        var days = Days(first, 60, _ => 1);
        var pending = 0;
        for (var i = 50; i < 60; i++)
        {
            days[i].PostCollected = false;
            days[i].Away = true;
            pending += days[i].PostDelivered ? 1 : 0;
            days[i].UncollectedDeliveryDays = pending;
        }

        Assert.DoesNotContain(Run(days), s => s.Kind == SignalKind.DeclinePost);
    }

    [Fact]
    public void A_hospital_stay_restarts_the_comparison_windows_when_configured_to()
    {
        // With ResetAfterHospital, fewer outings after a hospital stay are compared with life after the stay only.
        var first = new DateOnly(2025, 5, 1);
        var days = Days(first, 150, i => i < 70 ? 1 : 0.5);
        var hospital = new ContextPeriod(ContextKind.Hospital, LocalClock.StartOfDay(first.AddDays(62)), LocalClock.StartOfDay(first.AddDays(70)));
        for (var i = 62; i < 70; i++)
        {
            days[i].Away = true;
        }

        Assert.DoesNotContain(Run(days, [hospital], new DeclineOptions { ResetAfterHospital = true }), s => s.Kind == SignalKind.DeclineOutings);
    }

    [Fact]
    public void By_default_a_decline_after_a_hospital_stay_is_raised_against_life_before_it()
    {
        var first = new DateOnly(2025, 5, 1);
        var days = Days(first, 150, i => i < 70 ? 1 : 0.5);
        var hospital = new ContextPeriod(ContextKind.Hospital, LocalClock.StartOfDay(first.AddDays(62)), LocalClock.StartOfDay(first.AddDays(70)));
        for (var i = 62; i < 70; i++)
        {
            days[i].Away = true;
        }

        var signal = Assert.Single(Run(days, [hospital]), s => s.Kind == SignalKind.DeclineOutings);
        Assert.InRange(LocalClock.LocalDate(signal.RaisedAt).DayNumber - first.DayNumber, 70 + 7, 70 + 42);
    }

    [Fact]
    public void A_holiday_in_the_middle_of_a_decline_is_stepped_over_not_a_reason_to_start_again()
    {
        // A two-week holiday halfway through the ramp: the windows count days at home, so the decline is still found.
        var first = new DateOnly(2025, 5, 1);
        const int onset = 70;
        var days = Days(first, 150, i => i < onset ? 1 : Math.Max(0.4, 1 - 0.6 * (i - onset) / 28.0));
        var holiday = new ContextPeriod(ContextKind.Holiday, LocalClock.StartOfDay(first.AddDays(82)), LocalClock.StartOfDay(first.AddDays(96)));
        for (var i = 82; i < 96; i++)
        {
            days[i].Away = true;
        }

        var signal = Assert.Single(Run(days, [holiday]), s => s.Kind == SignalKind.DeclineOutings);
        Assert.InRange(LocalClock.LocalDate(signal.RaisedAt).DayNumber - first.DayNumber, onset + 7, onset + 14 + 28 + 14);
    }

    [Fact]
    public void Trends_start_from_week_six_even_before_the_guard_band_fits()
    {
        // Nine weeks of history, outings halving from week 3: too short for reference, guard band and recent window all
        // together, so the band is dropped and the decline is still raised.
        var first = new DateOnly(2025, 5, 1);
        const int onset = 21;
        var days = Days(first, 63, i => i < onset ? 1 : Math.Max(0.4, 1 - 0.6 * (i - onset) / 28.0));

        var signal = Assert.Single(Run(days), s => s.Kind == SignalKind.DeclineOutings);
        Assert.InRange(LocalClock.LocalDate(signal.RaisedAt).DayNumber - first.DayNumber, 42, 63);
    }

    [Fact]
    public void A_noisy_resident_needs_a_larger_shift_than_a_steady_one()
    {
        // The same 35% drop in outings: a clear change for someone whose outings hardly vary, within the ordinary ups and
        // downs of someone whose weeks swing widely (their own noise level of the comparison is learned from history).
        var first = new DateOnly(2025, 1, 1);
        const int onset = 200;
        var steady = Days(first, 290, i => i < onset ? 1 : 0.65);
        var noisy = Days(first, 290, i => (i < onset ? 1 : 0.65) * (((i / 28) % 2 == 0) ? 1.35 : 0.65));
        Assert.Contains(Run(steady), s => s.Kind == SignalKind.DeclineOutings);
        Assert.DoesNotContain(Run(noisy).Where(s => LocalClock.LocalDate(s.RaisedAt).DayNumber - first.DayNumber >= onset), s => s.Kind == SignalKind.DeclineOutings);
    }

    [Fact]
    public void A_life_event_entered_by_staff_re_baselines_the_trends()
    {
        var first = new DateOnly(2025, 5, 1);
        var days = Days(first, 150, i => i < 70 ? 1 : 0.5);
        var lifeEvent = new ContextPeriod(ContextKind.LifeEvent, LocalClock.StartOfDay(first.AddDays(70)), null, "partner overleden");

        Assert.Contains(Run(days), s => s.Kind == SignalKind.DeclineOutings);
        Assert.DoesNotContain(Run(days, [lifeEvent]), s => s.Kind == SignalKind.DeclineOutings);
    }

    [Fact]
    public void Not_relevant_outcomes_make_decline_stricter()
    {
        var strict = new LabelAdjustments([new Label(SignalKind.DeclineOutings, DateTimeOffset.UnixEpoch, LabelOutcome.NotRelevant)]);
        Assert.True(strict.DeclineStrictness > LabelAdjustments.None.DeclineStrictness);
    }
}
