using HomeSignal.Simulation.Context;
using HomeSignal.Simulation.Patterns;
using HomeSignal.Simulation.Residents;

namespace HomeSignal.Simulation.Routines;

/// <summary>Placing acute patterns and post at moments that make sense for this day.</summary>
internal sealed partial class DayPlanner
{
    private const int DaysToPlaceAFall = 3;

    /// <summary>A fall happens at the first moment at or after the requested time that the resident is home, up and alone.</summary>
    private void PlaceFall(DayPlan plan, DateOnly date, DateTime wake, List<Segment> homeAwake, List<Away> aways)
    {
        foreach (var p in PatternsOn(PatternKind.Fall, date))
        {
            _pendingFalls.Add(p);
        }

        foreach (var p in _pendingFalls.ToList())
        {
            var requested = p.Day == date ? LocalClock.ToUtc(date, (p.At ?? new TimeOnly(10, 0)).ToTimeSpan()) : wake.AddHours(1);
            var fall = FirstQuietMoment(homeAwake, plan.Visits, requested);
            if (fall is not { } t)
            {
                if (date.DayNumber - p.Day.DayNumber >= DaysToPlaceAFall - 1)
                {
                    _pendingFalls.Remove(p);
                    Truths.Add(new PatternTruth(p.Kind, p, false, At(requested), null, null, null,
                        "Not placed: the resident was not at home and up on the requested days."));
                }

                continue;
            }

            _pendingFalls.Remove(p);
            plan.Outings.RemoveAll(o => o.Start >= t);
            aways.RemoveAll(o => o.Kind is AwayKind.Outing or AwayKind.DayCare && o.Start >= t);
            plan.Visits.RemoveAll(v => v.Start >= t);
            var found = p.Duration is { } lying ? t + lying : _runEnd.AddDays(1);
            var fallen = new Away(t, found, AwayKind.Fallen, false, false);
            _calendar.Add(fallen);
            aways.Add(fallen);
            if (p.Duration is not null)
            {
                var rng = new Random(Seeds.Mix(_scenario.Seed, Streams.Life, date.DayNumber));
                var admitted = found.AddMinutes(40);
                var discharged = LocalClock.ToUtc(LocalClock.DateOf(admitted).AddDays(3 + rng.Next(8)), 11 + 4 * rng.NextDouble());
                var hospital = new Away(admitted, discharged, AwayKind.Hospital, true, true);
                _calendar.Add(hospital);
                aways.Add(hospital);
                NewContext.Add(new ContextPeriod(ContextKind.Hospital, At(admitted), At(discharged), rng.NextDouble() < 0.9));
            }

            Truths.Add(new PatternTruth(p.Kind, p, true, At(t), At(t), null, p.Duration is null ? null : At(found),
                p.Duration is null
                    ? $"Falls at {LocalText(t)} and lies still until the end of the run."
                    : $"Falls at {LocalText(t)}, is found at {LocalText(found)} and taken to hospital."));
            break;
        }
    }

    /// <summary>At the end of the run: falls still waiting for a moment at home are reported as not placed.</summary>
    public void GiveUpPending()
    {
        foreach (var p in _pendingFalls)
        {
            var requested = LocalClock.ToUtc(p.Day, (p.At ?? new TimeOnly(10, 0)).ToTimeSpan());
            Truths.Add(new PatternTruth(p.Kind, p, false, At(requested), null, null, null,
                "Not placed: the run ended before the resident was at home and up."));
        }

        _pendingFalls.Clear();
    }

    private static DateTime? FirstQuietMoment(List<Segment> homeAwake, List<(DateTime Start, DateTime End)> visits, DateTime requested)
    {
        foreach (var s in homeAwake)
        {
            var from = Max(s.Start.AddMinutes(5), requested);
            var to = s.End.AddMinutes(-5);
            foreach (var v in visits)
            {
                if (from >= v.Start.AddMinutes(-5) && from < v.End.AddMinutes(5))
                {
                    from = v.End.AddMinutes(5);
                }
            }

            if (from < to)
            {
                return from;
            }
        }

        return null;
    }

    /// <summary>The night patterns of the night that starts on this date's evening (default 02:30 next morning).</summary>
    private (DateTime Open, DateTime Close)? PlaceNightPatterns(DateOnly date, DateTime bed, DateTime end, List<Segment> segments, List<Away> aways, Random rng)
    {
        (DateTime, DateTime)? door = null;
        foreach (var p in _scenario.Patterns.Where(p => p.Day == date && p.Kind is PatternKind.DoorOpenAtNight or PatternKind.NightExitWithoutReturn))
        {
            var requested = p.At is { } at
                ? LocalClock.ToUtc(at.Hour >= 12 ? date : date.AddDays(1), at.ToTimeSpan())
                : LocalClock.ToUtc(date.AddDays(1), 2.5);
            DateTime? best = null;
            foreach (var s in segments.Where(s => s.Asleep && s.Start >= bed && s.End - s.Start > TimeSpan.FromMinutes(40)))
            {
                var t = Max(s.Start.AddMinutes(15), Min(requested, s.End.AddMinutes(-15)));
                if (best is not { } b || Math.Abs((t - requested).Ticks) < Math.Abs((b - requested).Ticks))
                {
                    best = t;
                }
            }

            if (best is not { } when)
            {
                Truths.Add(new PatternTruth(p.Kind, p, false, At(requested), null, null, null,
                    "Not placed: the resident was not at home in bed that night."));
                continue;
            }

            if (p.Kind == PatternKind.DoorOpenAtNight)
            {
                var close = p.Duration is { } open ? when + open : end.AddMinutes(10 + 20 * rng.NextDouble());
                door = (when, close);
                Truths.Add(new PatternTruth(p.Kind, p, true, At(when), At(when), null, At(close),
                    $"Opens the front door at {LocalText(when)} and leaves it open until {LocalText(close)}."));
            }
            else
            {
                var back = p.Duration is { } away ? when + away : _runEnd.AddDays(1);
                var exit = new Away(when, back, AwayKind.NightOut, true, true);
                _calendar.Add(exit);
                aways.Add(exit);
                Truths.Add(new PatternTruth(p.Kind, p, true, At(when), At(when), null, p.Duration is null ? null : At(back),
                    p.Duration is null
                        ? $"Leaves the house at {LocalText(when)} and does not come back."
                        : $"Leaves the house at {LocalText(when)} and is brought back at {LocalText(back)}."));
            }
        }

        return door;
    }

    /// <summary>
    /// Delivers today's post (Tuesday–Saturday, at the address's usual time) and decides when waiting post is
    /// collected: some delay after delivery or after coming home, never while away or after a fall.
    /// </summary>
    private List<DateTime> PlanPost(DayPlan plan, Random rng, DateOnly date, DateTime start, List<Segment> segments, Severity severity)
    {
        var collections = new List<DateTime>(2);
        DateTime? delivered = null;
        if (ResidentProfile.PostDays.Contains(date.DayOfWeek) && rng.NextDouble() < _profile.PostChance)
        {
            var at = Max(LocalClock.ToUtc(date, _profile.PostTime.TotalHours + 0.3 * ResidentProfile.Gaussian(rng)), start.AddMinutes(1));
            delivered = at;
            plan.PostDelivered = at;
            plan.Contacts.Add(new ContactOpening(Contact.MailboxFlap, at, at.AddSeconds(1 + 3 * rng.NextDouble())));
        }

        var since = _postWaitingSince ?? delivered;
        if (since is not { } first)
        {
            return collections;
        }

        var skip = rng.NextDouble() < 0.03 + DeclineEffects.PostLeftUncollected * severity.Post;
        var homeAwake = segments.Where(s => !s.Asleep && s.Entry != Edge.Rescue).ToList();
        var collected = skip ? null : FirstHomeMoment(homeAwake, Max(first, start) + Delay(rng));
        if (collected is not { } c)
        {
            _postWaitingSince = first;
            return collections;
        }

        collections.Add(c);
        _postWaitingSince = null;
        if (delivered is { } d && d > c)
        {
            if (FirstHomeMoment(homeAwake, d + Delay(rng)) is { } second)
            {
                collections.Add(second);
            }
            else
            {
                _postWaitingSince = d;
            }
        }

        return collections;
    }

    private TimeSpan Delay(Random rng) => TimeSpan.FromMinutes(-_profile.PostCollectionDelay.TotalMinutes * Math.Log(1 - rng.NextDouble()));

    private static DateTime? FirstHomeMoment(List<Segment> homeAwake, DateTime earliest)
    {
        foreach (var s in homeAwake)
        {
            var t = Max(earliest, s.Start.AddMinutes(2));
            if (t < s.End.AddMinutes(-3))
            {
                return t;
            }
        }

        return null;
    }
}
