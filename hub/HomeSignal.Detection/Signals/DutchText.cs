using System.Globalization;
using HomeSignal.Detection.History;

namespace HomeSignal.Detection.Signals;

/// <summary>Plain-Dutch formatting for signal texts. Neutral wording (a vrijwilliger may read the reason): what was seen,
/// never what it might mean.</summary>
public static class DutchText
{
    public static CultureInfo Culture { get; } = CultureInfo.GetCultureInfo("nl-NL");

    public static string Clock(DateTimeOffset t) => LocalClock.ToLocal(t).ToString("HH:mm", CultureInfo.InvariantCulture);

    public static string DayAndClock(DateTimeOffset t) => LocalClock.ToLocal(t).ToString("dddd d MMMM HH:mm", Culture);

    public static string Date(DateOnly d) => d.ToString("dddd d MMMM", Culture);

    public static string MinuteOfDay(double minute)
    {
        if (double.IsNaN(minute))
        {
            return "onbekend";
        }

        var m = (int)Math.Round(minute);
        m = ((m % 1440) + 1440) % 1440;
        return $"{m / 60:00}:{m % 60:00}";
    }

    public static string Duration(TimeSpan d)
    {
        if (d.TotalMinutes < 90)
        {
            return $"{Math.Round(d.TotalMinutes):0} minuten";
        }

        var hours = Math.Round(d.TotalHours * 2) / 2;
        return hours == Math.Floor(hours) ? $"{hours:0} uur" : $"{Math.Floor(hours):0},5 uur";
    }

    public static string Number(double v, int decimals = 1) => Math.Round(v, decimals).ToString(decimals == 0 ? "0" : "0.#", Culture);

    public static string Range(double p10, double p90, int decimals = 1) =>
        double.IsNaN(p10) ? "nog onbekend" : $"{Number(p10, decimals)}–{Number(p90, decimals)}";

    public static string ClockRange(double p10, double p90) =>
        double.IsNaN(p10) ? "nog onbekend" : $"{MinuteOfDay(p10)}–{MinuteOfDay(p90)}";

    /// <summary>"leren: dag 9 van 14" while the routine is being learned; null afterwards.</summary>
    public static string? LearningProgress(int day, int learningDays) =>
        day >= 1 && day <= learningDays ? $"leren: dag {day} van {learningDays}" : null;
}
