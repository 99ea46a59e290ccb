using HomeSignal.Simulation.Patterns;

namespace HomeSignal.Simulation.Routines;

/// <summary>How far each decline has progressed on one day (0 = not at all, 1 = full effect).</summary>
internal readonly record struct Severity(double Outings, double Post, double Movement, double Rising, double Nights)
{
    public static Severity On(IReadOnlyList<InjectedPattern> patterns, DateOnly date)
    {
        double outings = 0, post = 0, movement = 0, rising = 0, nights = 0;
        foreach (var p in patterns)
        {
            var s = p.SeverityOn(date);
            switch (p.Kind)
            {
                case PatternKind.DeclineOutings: outings = Math.Max(outings, s); break;
                case PatternKind.DeclinePost: post = Math.Max(post, s); break;
                case PatternKind.DeclineMovement: movement = Math.Max(movement, s); break;
                case PatternKind.DeclineRising: rising = Math.Max(rising, s); break;
                case PatternKind.DeclineNights: nights = Math.Max(nights, s); break;
                default: break;
            }
        }

        return new Severity(outings, post, movement, rising, nights);
    }
}
