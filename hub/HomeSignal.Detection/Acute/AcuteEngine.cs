using HomeSignal.Contracts.Payloads;
using HomeSignal.Detection.Features;
using HomeSignal.Detection.History;
using HomeSignal.Detection.Signals;
using HomeSignal.Detection.Statistics;

namespace HomeSignal.Detection.Acute;

/// <summary>The every-minute pass. <see cref="Evaluate"/> is a function of the state and an instant: it returns every
/// signal whose condition holds at <c>now</c>, each with the instant its threshold was crossed as
/// <see cref="Signal.RaisedAt"/> and a stable <see cref="Signal.SignalId"/>, so the caller keeps the first sighting of
/// each id. Data health comes first: while the kit is offline or the resident is away no behaviour rule runs, and a motion
/// sensor that has gone suspiciously quiet turns "no movement" into a sensor signal instead of an accusation.</summary>
public static class AcuteEngine
{
    public static IReadOnlyList<Signal> Evaluate(ResidentState state, DateTimeOffset now)
    {
        state.AdvanceTo(now);
        var o = state.Options.Acute;
        var signals = new List<Signal>();

        // Layer 0: the kit. Silence from a dead kit says nothing about the person.
        if (state.KitOfflineSince is { } offline)
        {
            if (now - offline >= o.KitOfflineAlertAfter)
            {
                signals.Add(AcuteText.KitOffline(state, offline, offline + o.KitOfflineAlertAfter));
            }

            return signals;
        }

        var suspect = new List<SensorTrack>();
        var residentAway = state.Presence.State == PresenceState.Away || state.InAwayContext(now);
        foreach (var track in residentAway ? [] : state.Tracks)
        {
            var (stale, suspicious, since) = SensorHealth(state, track, now);
            if (stale)
            {
                signals.Add(AcuteText.SensorStale(state, track, since, now, blocksInactivity: false));
            }
            else if (suspicious)
            {
                suspect.Add(track);
            }
        }

        if (state.InAwayContext(now) || state.MonitoringSince is null)
        {
            return signals;
        }

        var local = LocalClock.LocalMinuteOfDay(now);
        var presence = state.Presence;

        // Door open at night, or a night exit without return (which escalates at once).
        if (presence.LastDoorEvent is { } door && (presence.LastMotion is null || presence.LastMotion < door))
        {
            var exitAt = presence.LastDoorOpened is { } opened && opened <= door ? opened : door;
            if (o.IsNight(LocalClock.LocalMinuteOfDay(exitAt)) && now - exitAt >= o.NightExitNoReturn
                && presence.State == PresenceState.Away)
            {
                signals.Add(AcuteText.NightExit(state, exitAt, exitAt + o.NightExitNoReturn));
            }
        }

        if (presence.DoorOpen && presence.DoorOpenSince is { } open && presence.State == PresenceState.Home)
        {
            var due = DoorDeadline(open, o, state.Labels.DoorOpenExtraMinutes);
            if (due is { } d && now >= d)
            {
                signals.Add(AcuteText.DoorOpenNight(state, open, d));
            }
        }

        if (presence.State == PresenceState.Away)
        {
            return signals;
        }

        // Not up: no sustained activity since the morning start, past this weekday's personal deadline.
        var date = LocalClock.LocalDate(now);
        var notUpMinute = state.Baseline.NotUpMinute[(int)date.DayOfWeek];
        var morningStart = LocalClock.At(date, state.Options.Features.MorningStartMinute);
        var kitGapThisMorning = state.KitBackAt is { } back && back > morningStart;
        // "Up" is sustained rising, or simply enough movement this morning (a dead sensor thins the events out).
        var features = state.Options.Features;
        var up = state.MorningMotionOutsideBedroom > features.RisingEvents || state.RisenAt is not null;
        var cameHomeToday = state.LastReturn is { } back2 && back2 > morningStart;
        if (local >= notUpMinute && !kitGapThisMorning && !cameHomeToday && state.MonitoringSince < morningStart && !up)
        {
            var due = LocalClock.At(date, notUpMinute);
            signals.Add(suspect.Count > 0
                ? AcuteText.SensorStale(state, suspect[0], suspect[0].LastSeen ?? due, due, blocksInactivity: true)
                : AcuteText.NotUp(state, date, morningStart, due));
        }

        // Inactivity while home and up: the gap since the last activity beyond the personal threshold for the hour it
        // began. Before rising (and after going to bed in the evening) the not-up rule speaks instead.
        if (up && !InBedForTheNight(state) && InactivityDeadline(state) is { } due2 && now >= due2.Deadline)
        {
            signals.Add(suspect.Count > 0
                ? AcuteText.SensorStale(state, suspect[0], suspect[0].LastSeen ?? due2.Start, due2.Deadline, blocksInactivity: true)
                : AcuteText.Inactivity(state, due2.Start, due2.Deadline, due2.Threshold));
        }

        // Restless night: tonight's visits in the far Poisson tail of the personal rate.
        if (state.NightVisits >= o.NightRestlessMinVisits
            && Robust.PoissonUpperTail(state.NightVisits, state.Baseline.NightVisitsPerNight) < o.NightRestlessTail * state.Labels.NightTailFactor
            && state.LastNightVisitMotion is { } lastVisit)
        {
            signals.Add(AcuteText.NightRestless(state, state.NightDate, lastVisit));
        }

        return signals;
    }

    /// <summary>The earliest instant after <paramref name="now"/> at which a new signal could appear if no further event
    /// arrives (a deadline-driven caller evaluates there; the hub simply evaluates every minute).</summary>
    public static DateTimeOffset? NextDeadline(ResidentState state, DateTimeOffset now)
    {
        state.AdvanceTo(now);
        var o = state.Options.Acute;
        DateTimeOffset? best = null;
        void Consider(DateTimeOffset? t)
        {
            if (t is { } v && v > now && (best is null || v < best))
            {
                best = v;
            }
        }

        if (state.KitOfflineSince is { } offline)
        {
            Consider(offline + o.KitOfflineAlertAfter);
            return best;
        }

        foreach (var track in state.Tracks)
        {
            if (track.LastSeen is not null && state.Presence.State == PresenceState.Home)
            {
                // On the home clock; while home it runs with the wall clock.
                Consider(now + (StaleAfter(track, o) - (state.HomeClock - track.LastSeenHomeClock)));
            }
        }

        var presence = state.Presence;
        Consider(presence.PendingExitDeadline);
        if (presence.LastDoorEvent is { } door)
        {
            var exitAt = presence.LastDoorOpened is { } opened && opened <= door ? opened : door;
            Consider(exitAt + o.NightExitNoReturn);
        }

        if (presence.DoorOpen && presence.DoorOpenSince is { } open)
        {
            Consider(DoorDeadline(open, o, state.Labels.DoorOpenExtraMinutes));
        }

        var date = LocalClock.LocalDate(now);
        for (var i = 0; i <= 1; i++)
        {
            var d = date.AddDays(i);
            Consider(LocalClock.At(d, state.Baseline.NotUpMinute[(int)d.DayOfWeek]));
            Consider(LocalClock.StartOfDay(d.AddDays(1)));
        }

        Consider(InactivityDeadline(state)?.Deadline);
        foreach (var c in state.Context)
        {
            Consider(c.From);
            Consider(c.To);
        }

        return best;
    }

    private static bool InBedForTheNight(ResidentState state) =>
        state.LastEvidenceSensor is { } id && state.Sensors.Find(id) is { } sensor && sensor.IsBedroom
        && state.LastEvidence is { } last && LocalClock.LocalMinuteOfDay(last) >= state.Options.Acute.BedtimeFromMinute;

    private static (DateTimeOffset Start, DateTimeOffset Deadline, TimeSpan Threshold)? InactivityDeadline(ResidentState state)
    {
        if (state.LastEvidence is not { } last)
        {
            return null;
        }

        var start = state.KitBackAt is { } back && back > last ? back : last;
        var threshold = TimeSpan.FromMinutes(state.Baseline.InactivityMinutes[LocalClock.ToLocal(start).Hour]);
        return (start, start + threshold, threshold);
    }

    private static DateTimeOffset? DoorDeadline(DateTimeOffset open, AcuteOptions o, double extraMinutes)
    {
        var due = open + o.DoorOpenAtNight + TimeSpan.FromMinutes(extraMinutes);
        if (o.IsNight(LocalClock.LocalMinuteOfDay(due)))
        {
            return due;
        }

        // Opened in the evening and still open when the night begins.
        var date = LocalClock.LocalDate(due);
        var nightStart = LocalClock.At(date, o.NightStartMinute);
        return nightStart > due ? nightStart : LocalClock.At(date.AddDays(1), o.NightStartMinute);
    }

    private static TimeSpan StaleAfter(SensorTrack track, AcuteOptions o)
    {
        var byGap = TimeSpan.FromTicks((long)(track.LongestGap.Ticks * o.SensorStaleGapFactor));
        var floor = track.Sensor.Kind == SensorKind.Motion ? o.SensorStaleFloor : o.SensorStaleFloorOther;
        return byGap > floor ? byGap : floor;
    }

    /// <summary>Stale: silent (in home time) beyond its gap limit. Suspicious (motion only): the resident has visited
    /// other rooms so often since this sensor's last report that, at its usual share of visits, the silence is
    /// near-impossible — it then blocks the inactivity and not-up rules instead of accusing the person.</summary>
    private static (bool Stale, bool Suspicious, DateTimeOffset Since) SensorHealth(ResidentState state, SensorTrack track, DateTimeOffset now)
    {
        if (track.LastSeen is not { } seen)
        {
            return (false, false, now);
        }

        if (state.HomeClock - track.LastSeenHomeClock >= StaleAfter(track, state.Options.Acute))
        {
            return (true, true, seen);
        }

        if (track.Sensor.Kind != SensorKind.Motion || state.VisitTotal < 300 || track.Visits < 20)
        {
            return (false, false, seen);
        }

        var share = (double)track.Visits / state.VisitTotal;
        var others = state.VisitTotal - track.VisitTotalAtLastVisit;
        var logP = others * Math.Log(Math.Max(1e-12, 1 - share));
        return (false, logP < Math.Log(state.Options.Acute.SensorSuspectProbability), seen);
    }
}
