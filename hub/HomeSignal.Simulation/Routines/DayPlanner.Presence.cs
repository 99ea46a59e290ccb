using HomeSignal.Simulation.Patterns;
using HomeSignal.Simulation.Residents;

namespace HomeSignal.Simulation.Routines;

/// <summary>Turning the day's segments into presence in rooms: routines on waking and at bedtime, rooms in between, nights.</summary>
internal sealed partial class DayPlanner
{
    private bool _napToday;

    private enum AnchorKind
    {
        Collection,
        VisitArrival,
        VisitDeparture,
    }

    private void BuildPresence(DayPlan plan, Random rng, List<Segment> segments, List<DateTime> collections,
        (DateTime Open, DateTime Close)? doorAtNight, DateTime bed, DateTime end, Severity severity)
    {
        var level = _profile.Mobility;
        _napToday = rng.NextDouble() < _profile.NapChance;
        plan.MotionKept = 1 - DeclineEffects.MovementReduction * severity.Movement;
        var anchors = collections.Select(c => (At: c, Kind: AnchorKind.Collection))
            .Concat(plan.Visits.SelectMany(v => new[] { (At: v.Start, Kind: AnchorKind.VisitArrival), (At: v.End, Kind: AnchorKind.VisitDeparture) }))
            .OrderBy(a => a.At)
            .ToList();
        var nightVisits = DrawNightVisits(rng, bed, end, severity);
        var arrivals = new List<DateTime>();
        var departures = new List<DateTime>();

        foreach (var s in segments)
        {
            if (s.Entry == Edge.Rescue)
            {
                Rescue(plan, rng, s);
                continue;
            }

            if (s.Asleep)
            {
                Asleep(plan, rng, s, nightVisits, doorAtNight, severity);
            }
            else
            {
                Awake(plan, rng, s, anchors.Where(a => s.Contains(a.At)).ToList(), level, severity, arrivals, departures);
            }
        }

        plan.Visits.Clear();
        for (var i = 0; i < Math.Min(arrivals.Count, departures.Count); i++)
        {
            plan.Visits.Add((arrivals[i], departures[i]));
            VisitorPresence(plan, rng, arrivals[i], departures[i]);
        }
    }

    private void Awake(DayPlan plan, Random rng, Segment s, List<(DateTime At, AnchorKind Kind)> anchors, double level,
        Severity severity, List<DateTime> arrivals, List<DateTime> departures)
    {
        var queue = new Queue<(Room Room, double Minutes)>();
        var room = Room.Living;
        var t = s.Start;
        switch (s.Entry)
        {
            case Edge.Wake:
                room = Room.Bedroom;
                queue.Enqueue((Room.Bedroom, 2 + 4 * rng.NextDouble()));
                queue.Enqueue((Room.Bathroom, 5 + 10 * rng.NextDouble()));
                queue.Enqueue((Room.Kitchen, 10 + 15 * rng.NextDouble()));
                break;
            case Edge.Door:
                room = Room.Hall;
                plan.Contacts.Add(new ContactOpening(Contact.FrontDoor, s.Start, s.Start.AddSeconds(6 + 9 * rng.NextDouble())));
                queue.Enqueue((Room.Hall, 0.5 + 0.3 * rng.NextDouble()));
                // The door opens first; the hall sensor sees the resident a moment later.
                t = s.Start.AddSeconds(2 + 3 * rng.NextDouble());
                break;
            default:
                break;
        }

        var tail = s.Exit switch
        {
            Edge.Bed => new List<(Room Room, double Minutes)> { (Room.Bathroom, 4 + 4 * rng.NextDouble()), (Room.Bedroom, 3 + 7 * rng.NextDouble()) },
            Edge.Door => [(Room.Hall, 0.8 + 0.2 * rng.NextDouble())],
            _ => [],
        };
        var tailMinutes = Math.Min(tail.Sum(x => x.Minutes), s.Length.TotalMinutes * 0.5);
        var limit = s.End.AddMinutes(-tailMinutes);
        var visiting = false;
        foreach (var anchor in anchors.Where(a => a.At < limit))
        {
            t = Fill(plan, rng, t, anchor.At.AddSeconds(-20), ref room, queue, level, severity, visiting);
            var at = Max(anchor.At, t.AddSeconds(20));
            if (at.AddSeconds(40) >= limit)
            {
                break;
            }

            plan.Resident.Add(new Presence(at.AddSeconds(-20), at.AddSeconds(40), Room.Hall, 1, false));
            if (anchor.Kind == AnchorKind.Collection)
            {
                plan.Contacts.Add(new ContactOpening(Contact.MailboxDoor, at, at.AddSeconds(5 + 15 * rng.NextDouble())));
                plan.PostCollected = at;
            }
            else
            {
                plan.Contacts.Add(new ContactOpening(Contact.FrontDoor, at, at.AddSeconds(6 + 8 * rng.NextDouble())));
                (anchor.Kind == AnchorKind.VisitArrival ? arrivals : departures).Add(at);
                visiting = anchor.Kind == AnchorKind.VisitArrival;
            }

            t = at.AddSeconds(40);
            room = Room.Hall;
        }

        t = Fill(plan, rng, t, limit, ref room, queue, level, severity, visiting);
        if (visiting)
        {
            // The visitor leaves before the resident goes out or to bed.
            var leaves = Max(s.Start, Min(t, s.End.AddMinutes(-tailMinutes - 1)));
            departures.Add(leaves);
            plan.Contacts.Add(new ContactOpening(Contact.FrontDoor, leaves, leaves.AddSeconds(6 + 8 * rng.NextDouble())));
        }

        foreach (var (tailRoom, minutes) in tail)
        {
            var to = Min(t.AddMinutes(minutes), s.End);
            if (to > t)
            {
                plan.Resident.Add(new Presence(t, to, tailRoom, level, false));
                t = to;
            }
        }

        if (s.Exit == Edge.Door)
        {
            plan.Contacts.Add(new ContactOpening(Contact.FrontDoor, s.End, s.End.AddSeconds(8 + 12 * rng.NextDouble())));
        }
    }

    /// <summary>Moves the resident between rooms until <paramref name="until"/>; planned routine blocks come first.</summary>
    private DateTime Fill(DayPlan plan, Random rng, DateTime t, DateTime until, ref Room room,
        Queue<(Room Room, double Minutes)> queue, double level, Severity severity, bool visiting)
    {
        var guard = 0;
        while (t < until.AddSeconds(-20) && guard++ < 500)
        {
            Room next;
            double minutes;
            if (queue.Count > 0)
            {
                (next, minutes) = queue.Dequeue();
            }
            else
            {
                var hour = LocalClock.HourOf(t);
                if (_napToday && !visiting && hour is >= 13 and < 16 && until - t > TimeSpan.FromMinutes(45))
                {
                    // An afternoon nap in the chair: a long stretch with hardly any motion.
                    _napToday = false;
                    var nap = Min(t.AddMinutes(30 + 60 * rng.NextDouble()), until);
                    plan.Resident.Add(new Presence(t, nap, Room.Living, 0.1, false));
                    t = nap;
                    room = Room.Living;
                    continue;
                }

                next = NextRoom(rng, room, hour, visiting);
                minutes = BlockMinutes(rng, next, severity);
            }

            if (next != room && next != Room.Hall && room != Room.Hall && rng.NextDouble() < 0.25)
            {
                plan.Resident.Add(new Presence(t, t.AddSeconds(15), Room.Hall, level, false));
                t = t.AddSeconds(15);
            }

            var to = Min(t.AddMinutes(minutes), until);
            if (until - to < TimeSpan.FromMinutes(2))
            {
                to = until;
            }

            if (to > t)
            {
                plan.Resident.Add(new Presence(t, to, next, level, false));
            }

            t = Max(t, to);
            room = next;
        }

        return Max(t, until);
    }

    private static Room NextRoom(Random rng, Room current, double hour, bool visiting)
    {
        static double Bump(double hour, double centre) => Math.Exp(-Math.Pow((hour - centre) / 0.75, 2));
        var kitchen = visiting ? 0.15 : 0.2 + 0.6 * (Bump(hour, 8) + Bump(hour, 12.5) + Bump(hour, 18));
        Span<double> weights =
        [
            visiting ? 0.02 : 0.05,  // hall
            visiting ? 1.2 : 0.45,   // living
            kitchen,
            visiting ? 0.05 : 0.1,   // bathroom
            visiting ? 0.0 : 0.08,   // bedroom
        ];
        weights[(int)current] = 0;
        var total = 0.0;
        foreach (var w in weights)
        {
            total += w;
        }

        var pick = rng.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            pick -= weights[i];
            if (pick < 0)
            {
                return (Room)i;
            }
        }

        return Room.Living;
    }

    private static double BlockMinutes(Random rng, Room room, Severity severity)
    {
        var (mean, min, max) = room switch
        {
            Room.Living => (35.0 * (1 + severity.Movement), 3.0, 150.0 * (1 + severity.Movement)),
            Room.Kitchen => (12.0, 2.0, 45.0),
            Room.Bathroom => (6.0, 1.5, 20.0),
            Room.Bedroom => (8.0, 1.0, 30.0),
            _ => (1.0, 0.3, 3.0),
        };
        return Math.Clamp(-mean * Math.Log(1 - rng.NextDouble()), min, max);
    }

    private List<DateTime> DrawNightVisits(Random rng, DateTime bed, DateTime end, Severity severity)
    {
        var mean = _profile.NightVisitsPerNight + DeclineEffects.ExtraNightVisits * severity.Nights;
        var count = Math.Min(3, LifeCalendar.Poisson(rng, mean));
        var from = bed.AddMinutes(20);
        var span = (end.AddMinutes(-20) - from).TotalMinutes;
        var visits = new List<DateTime>(count);
        for (var i = 0; i < count && span > 0; i++)
        {
            visits.Add(from.AddMinutes(span * rng.NextDouble()));
        }

        visits.Sort();
        return visits;
    }

    private void Asleep(DayPlan plan, Random rng, Segment s, List<DateTime> nightVisits, (DateTime Open, DateTime Close)? doorAtNight, Severity severity)
    {
        var rate = _profile.SleepMovementsPerHour * (1 + (DeclineEffects.SleepMovementFactor - 1) * severity.Nights);
        var t = s.Start;
        if (s.Entry == Edge.Door)
        {
            plan.Contacts.Add(new ContactOpening(Contact.FrontDoor, t, t.AddSeconds(6 + 8 * rng.NextDouble())));
            plan.Resident.Add(new Presence(t.AddSeconds(3), t.AddSeconds(40), Room.Hall, 1, false));
            plan.Resident.Add(new Presence(t.AddSeconds(40), t.AddMinutes(3), Room.Bedroom, 1, false));
            t = t.AddMinutes(3);
        }

        var limit = s.Exit == Edge.Door ? s.End.AddMinutes(-2.5) : s.End;
        var events = nightVisits.Where(v => v >= t.AddMinutes(5) && v < limit.AddMinutes(-10)).Select(v => (At: v, Door: false)).ToList();
        if (doorAtNight is { } door && s.Contains(door.Open))
        {
            events.Add((door.Open, true));
            events.Sort((a, b) => a.At.CompareTo(b.At));
        }

        foreach (var (at, isDoor) in events)
        {
            var getUp = isDoor ? at.AddSeconds(-90) : at;
            if (getUp < t.AddMinutes(5) && !isDoor)
            {
                // Too close to the previous visit: go a little later, if the night allows.
                getUp = t.AddMinutes(5 + 10 * rng.NextDouble());
                if (getUp >= limit.AddMinutes(-10))
                {
                    continue;
                }
            }

            plan.Resident.Add(new Presence(t, Max(t, getUp), Room.Bedroom, rate, true));
            t = isDoor ? DoorAtNight(plan, rng, getUp, door: at, doorAtNight!.Value.Close) : NightVisit(plan, rng, getUp, severity);
            if (!isDoor)
            {
                plan.NightVisits++;
            }
        }

        if (limit > t)
        {
            plan.Resident.Add(new Presence(t, limit, Room.Bedroom, rate, true));
            t = limit;
        }

        if (s.Exit == Edge.Door)
        {
            plan.Resident.Add(new Presence(t, t.AddSeconds(100), Room.Bedroom, 1, false));
            plan.Resident.Add(new Presence(s.End.AddSeconds(-50), s.End, Room.Hall, 1, false));
            plan.Contacts.Add(new ContactOpening(Contact.FrontDoor, s.End, s.End.AddSeconds(8 + 10 * rng.NextDouble())));
        }
    }

    private DateTime NightVisit(DayPlan plan, Random rng, DateTime t, Severity severity)
    {
        var hall = _profile.HasSensorIn(Room.Hall) && rng.NextDouble() < 0.5;
        plan.Resident.Add(new Presence(t, t.AddSeconds(40), Room.Bedroom, 1, false));
        t = t.AddSeconds(40);
        if (hall)
        {
            plan.Resident.Add(new Presence(t, t.AddSeconds(12), Room.Hall, 1, false));
            t = t.AddSeconds(12);
        }

        var bathroom = t.AddMinutes(2 + 3 * rng.NextDouble());
        plan.Resident.Add(new Presence(t, bathroom, Room.Bathroom, 1, false));
        t = bathroom;
        if (rng.NextDouble() < 0.5 * severity.Nights)
        {
            // A restless night: up for a while in the living room.
            var up = t.AddMinutes(15 + 30 * rng.NextDouble());
            plan.Resident.Add(new Presence(t, up, Room.Living, 0.7, false));
            t = up;
        }

        var back = t.AddSeconds(60 + 60 * rng.NextDouble());
        plan.Resident.Add(new Presence(t, back, Room.Bedroom, 1, false));
        return back;
    }

    private static DateTime DoorAtNight(DayPlan plan, Random rng, DateTime t, DateTime door, DateTime close)
    {
        plan.Resident.Add(new Presence(t, door.AddSeconds(-40), Room.Bedroom, 1, false));
        plan.Resident.Add(new Presence(door.AddSeconds(-40), door.AddSeconds(30), Room.Hall, 1, false));
        plan.Contacts.Add(new ContactOpening(Contact.FrontDoor, door, close));
        var back = door.AddSeconds(90 + 60 * rng.NextDouble());
        plan.Resident.Add(new Presence(door.AddSeconds(30), back, Room.Bedroom, 1, false));
        return back;
    }

    /// <summary>Helpers find a resident who fell: they come in, move about, and leave with the resident.</summary>
    private static void Rescue(DayPlan plan, Random rng, Segment s)
    {
        var a = s.Start;
        plan.Contacts.Add(new ContactOpening(Contact.FrontDoor, a, a.AddSeconds(20 + 20 * rng.NextDouble())));
        plan.Resident.Add(new Presence(a.AddSeconds(2), a.AddMinutes(1), Room.Hall, 1.5, false));
        var leave = s.Exit == Edge.Door ? s.End.AddMinutes(-1) : s.End;
        if (leave > a.AddMinutes(1))
        {
            plan.Resident.Add(new Presence(a.AddMinutes(1), leave, Room.Living, 1.5, false));
        }

        if (s.Exit == Edge.Door)
        {
            plan.Resident.Add(new Presence(Max(leave, a.AddMinutes(1)), s.End, Room.Hall, 1.5, false));
            plan.Contacts.Add(new ContactOpening(Contact.FrontDoor, s.End, s.End.AddSeconds(30 + 30 * rng.NextDouble())));
        }
    }

    private static void VisitorPresence(DayPlan plan, Random rng, DateTime arrival, DateTime departure)
    {
        if (departure - arrival < TimeSpan.FromMinutes(3))
        {
            return;
        }

        plan.Visitor.Add(new Presence(arrival.AddSeconds(3), arrival.AddSeconds(40), Room.Hall, 1, false));
        plan.Visitor.Add(new Presence(arrival.AddSeconds(40), departure.AddSeconds(-60), Room.Living, 0.8, false));
        var minutes = (departure - arrival).TotalMinutes;
        var kitchen = LifeCalendar.Poisson(rng, minutes / 45);
        for (var i = 0; i < kitchen; i++)
        {
            var at = arrival.AddMinutes(5 + (minutes - 15) * rng.NextDouble());
            plan.Visitor.Add(new Presence(at, at.AddMinutes(3 + 7 * rng.NextDouble()), Room.Kitchen, 1, false));
        }

        if (rng.NextDouble() < 0.5)
        {
            var at = arrival.AddMinutes(10 + (minutes - 20) * rng.NextDouble());
            plan.Visitor.Add(new Presence(at, at.AddMinutes(2 + 2 * rng.NextDouble()), Room.Bathroom, 1, false));
        }

        plan.Visitor.Add(new Presence(departure.AddSeconds(-60), departure, Room.Hall, 1, false));
    }
}
