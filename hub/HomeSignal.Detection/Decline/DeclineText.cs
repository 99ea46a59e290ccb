using HomeSignal.Detection.History;
using HomeSignal.Detection.Signals;
using HomeSignal.Detection.Statistics;

namespace HomeSignal.Detection.Decline;

/// <summary>Dutch explanations of decline signals. Staff may know these as "wegkwijnen"; the texts never say so.</summary>
internal static class DeclineText
{
    public static Signal PostUncollected(string residentId, DeclineSeries s, int i, DateTimeOffset raisedAt)
    {
        var d = s.Days[i];
        var since = FirstPendingDelivery(s, i);
        return new Signal
        {
            ResidentId = residentId,
            Kind = SignalKind.DeclinePost,
            Severity = SignalSeverity.ThisWeek,
            Layer = SignalLayer.Decline,
            RaisedAt = raisedAt,
            EpisodeStart = LocalClock.StartOfDay(since),
            Title = "Post niet opgehaald",
            Reason = $"De post is sinds {DutchText.Date(since)} niet opgehaald: {d.UncollectedDeliveryDays} bezorgdagen, terwijl de bewoner thuis was.",
            TodayValue = $"{d.UncollectedDeliveryDays} bezorgdagen niet opgehaald",
            NormalRange = "meestal dezelfde dag opgehaald",
            Since = LocalClock.StartOfDay(since),
            Sensors = ["brievenbus-klep", "brievenbus-deur"],
            Question = "Lukt het nog om de post uit de brievenbus te halen? Kan iemand daarbij helpen?",
            Evidence = [$"Bezorgd zonder ophalen: {d.UncollectedDeliveryDays} dagen", "Bewoner thuis op die dagen"],
        };
    }

    public static Signal Shift(string residentId, DeclineSeries s, int i, SignalKind kind, List<MetricShift> shifts, double trendZ,
        DateTimeOffset raisedAt, DeclineOptions o)
    {
        var top = shifts[0];
        var (recentFrom, refFrom, refTo) = SeasonalReference.Windows(s, i, o);
        var refValues = s.Values(top.Metric, refFrom, refTo).ToList();
        var p10 = Robust.Quantile(refValues, 0.1);
        var p90 = Robust.Quantile(refValues, 0.9);
        var since = s.Days[Math.Max(0, recentFrom)].Date;
        var isClock = top.Metric == DeclineMetric.Rising;
        string Fmt(double v) => isClock ? DutchText.MinuteOfDay(v) : DutchText.Number(v, v >= 20 ? 0 : 1);
        var (title, question) = kind switch
        {
            SignalKind.DeclineOutings => ("Minder vaak naar buiten", "Komt u nog geregeld buiten? Zou u het leuk vinden om samen ergens heen te gaan?"),
            SignalKind.DeclineMovement => ("Minder beweging in huis", "Hoe gaat het met lopen en bewegen in huis de laatste tijd?"),
            SignalKind.DeclineRising => ("Later op dan gewoonlijk", "Hoe slaapt u de laatste tijd? Komt u 's ochtends goed op gang?"),
            SignalKind.DeclineNights => ("Onrustiger nachten", "Slaapt u de laatste tijd goed? Bent u 's nachts vaker wakker?"),
            _ => ("Post later of niet opgehaald", "Lukt het nog om de post uit de brievenbus te halen? Kan iemand daarbij helpen?"),
        };
        var seasonNote = isClock
            ? (Math.Abs(top.Expected) >= 10 ? $" (het seizoen verklaart {DutchText.Number(top.Expected, 0)} minuten daarvan)" : "")
            : (Math.Abs(top.Expected - 1) >= 0.05 ? $" (rekening gehouden met het seizoen)" : "");
        return new Signal
        {
            ResidentId = residentId,
            Kind = kind,
            Severity = SignalSeverity.ThisWeek,
            Layer = SignalLayer.Decline,
            RaisedAt = raisedAt,
            EpisodeStart = LocalClock.StartOfDay(since),
            Title = title,
            Reason = $"De laatste twee weken: {Fmt(top.Recent)} {DeclineMetrics.Dutch(top.Metric)}, {(o.GuardDays > 0 ? "de zes weken vóór de twee weken daarvoor" : "de zes weken daarvoor")} {Fmt(top.Reference)}{seasonNote}.",
            TodayValue = $"{Fmt(top.Recent)} {DeclineMetrics.Dutch(top.Metric)}",
            NormalRange = isClock ? DutchText.ClockRange(p10, p90) : DutchText.Range(p10, p90, top.Reference >= 20 ? 0 : 1),
            Since = LocalClock.StartOfDay(since),
            Sensors = ["bewegingssensoren", "voordeur"],
            Question = question,
            Evidence = [.. shifts.Select(x => x.Metric == DeclineMetric.Rising
                ? $"{DeclineMetrics.Dutch(x.Metric)}: {DutchText.Number(x.Severity, 0)} minuten later dan verwacht"
                : $"{DeclineMetrics.Dutch(x.Metric)}: {DutchText.Number(x.Severity * 100, 0)}% {(DeclineMetrics.WorseWhenHigher(x.Metric) ? "meer" : "minder")} dan verwacht"),
                $"Trend over 8 weken (Mann-Kendall z): {DutchText.Number(trendZ)}"],
        };
    }

    private static DateOnly FirstPendingDelivery(DeclineSeries s, int i)
    {
        var k = i;
        while (k > 0 && s.Days[k - 1].UncollectedDeliveryDays > 0)
        {
            k--;
        }

        return s.Days[k].Date;
    }
}
