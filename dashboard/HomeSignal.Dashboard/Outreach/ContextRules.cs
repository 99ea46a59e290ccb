using HomeSignal.Dashboard.Hub;

namespace HomeSignal.Dashboard.Outreach;

/// <summary>What a context period does to a signal raised during it.</summary>
public sealed record ContextEffect(bool Suppress, string? Annotation);

/// <summary>
/// Life as people enter it (and away periods the hub infers): a holiday or hospital stay suppresses non-urgent behaviour
/// signals (nobody is home to call); day care and visits only annotate them. Kit health and urgent signals are never
/// suppressed, only annotated: a dead kit must still be fixed, and an urgent signal while "away" is itself worth a look.
/// </summary>
public static class ContextRules
{
    public static string Dutch(string kind) => kind switch
    {
        "holiday" => "vakantie of logeren",
        "hospital" => "ziekenhuisopname",
        "day-care" => "dagbesteding",
        "visit" => "bezoek",
        "life-event" => "ingrijpende gebeurtenis",
        _ => kind,
    };

    public static ContextEffect For(HubSignal signal, IEnumerable<HubContextPeriod> periods)
    {
        var during = periods.FirstOrDefault(p => p.From <= signal.RaisedAt && (p.To is null || signal.RaisedAt <= p.To));
        if (during is null)
        {
            return new ContextEffect(false, null);
        }

        var annotation = during.Inferred
            ? "Tijdens een periode waarin niemand thuis lijkt te zijn (afgeleid)."
            : $"Tijdens: {Dutch(during.Kind)}{(during.Note is null ? "" : $" ({during.Note})")}.";
        var away = during.Kind is "holiday" or "hospital" || during.Inferred;
        var suppress = away && signal.Severity != "urgent" && signal.Layer != "data-health";
        return new ContextEffect(suppress, annotation);
    }
}
