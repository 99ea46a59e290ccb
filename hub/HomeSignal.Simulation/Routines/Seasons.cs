namespace HomeSignal.Simulation.Routines;

/// <summary>
/// Seasonal drift of healthy people (design/detection.md): outings halved from November to March and recovered by May;
/// rising ~2.5 h earlier in June than in November.
/// </summary>
internal static class Seasons
{
    // Relative outing rate at mid-month, January first.
    private static readonly double[] MonthlyOutings = [0.5, 0.5, 0.55, 0.8, 1.0, 1.0, 1.0, 1.0, 0.95, 0.75, 0.5, 0.5];
    private static readonly double MeanOutings = MonthlyOutings.Average();

    /// <summary>Factor on the annual mean outing rate (averages 1 over the year).</summary>
    public static double OutingsFactor(DateOnly date)
    {
        var position = date.Month - 1 + (date.Day - 15) / 30.5;
        var lower = (int)Math.Floor(position);
        var fraction = position - lower;
        var a = MonthlyOutings[(lower % 12 + 12) % 12];
        var b = MonthlyOutings[((lower + 1) % 12 + 12) % 12];
        return (a + (b - a) * fraction) / MeanOutings;
    }

    /// <summary>Hours added to the annual mean wake time: latest around 1 December, earliest around 1 June.</summary>
    public static double WakeShiftHours(DateOnly date) =>
        1.3 * Math.Cos(2 * Math.PI * (date.DayOfYear - 335) / 365.25);

    /// <summary>Hours added to the awake day: in summer people rise early but go to bed a little later, not earlier.</summary>
    public static double AwakeShiftHours(DateOnly date) => -1.1 * WakeShiftHours(date);
}
