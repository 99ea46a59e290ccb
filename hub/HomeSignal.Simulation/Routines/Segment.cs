namespace HomeSignal.Simulation.Routines;

/// <summary>How a stretch of time at home begins or ends.</summary>
internal enum Edge
{
    /// <summary>The stretch runs on from the previous resident-day or into the next.</summary>
    Continue,
    Wake,
    Bed,
    /// <summary>The resident comes in or goes out through the front door.</summary>
    Door,
    /// <summary>The resident falls and stops moving.</summary>
    Fall,
    /// <summary>Helpers come in for a resident who fell.</summary>
    Rescue,
}

/// <summary>A stretch of time the resident is at home, awake or asleep.</summary>
internal readonly record struct Segment(DateTime Start, DateTime End, bool Asleep, Edge Entry, Edge Exit)
{
    public TimeSpan Length => End - Start;

    public bool Contains(DateTime t) => t >= Start && t < End;

    /// <summary>Cuts the away interval out of each segment; the pieces get door, fall or rescue edges.</summary>
    public static List<Segment> Subtract(List<Segment> segments, Away away)
    {
        var result = new List<Segment>(segments.Count + 1);
        foreach (var s in segments)
        {
            if (away.End <= s.Start || away.Start >= s.End)
            {
                result.Add(s);
                continue;
            }

            if (away.Start > s.Start)
            {
                var exit = away.Kind == AwayKind.Fallen ? Edge.Fall : away.DoorAtStart ? Edge.Door : Edge.Continue;
                result.Add(s with { End = away.Start, Exit = exit });
            }

            if (away.End < s.End)
            {
                var entry = away.RescueAtEnd ? Edge.Rescue : away.DoorAtEnd ? Edge.Door : Edge.Continue;
                result.Add(s with { Start = away.End, Entry = entry });
            }
        }

        return result;
    }
}
