using HomeSignal.Dashboard.Consent;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Outreach;

namespace HomeSignal.Dashboard.Pages;

/// <summary>
/// Red: an urgent melding is open. Orange: a call or visit is open. Grey: we cannot tell (no consent, still learning,
/// kit maintenance open — a dead kit is never shown as a calm day). Green: nothing open.
/// </summary>
public sealed record TrafficLight(string Css, string Text)
{
    public static TrafficLight For(HubResident resident, ResidentView view, IReadOnlyList<OutreachTask> active)
    {
        if (!view.ShowsBehaviour)
        {
            return new("grijs", "geen toestemming voor monitoring");
        }

        if (active.Any(t => t.Kind == TaskKinds.UrgentMelding))
        {
            return new("rood", "urgente melding open");
        }

        if (active.Any(t => t.Kind == TaskKinds.KitMaintenance))
        {
            return new("grijs", "kit geeft geen betrouwbare gegevens");
        }

        if (active.Any(t => t.Kind is TaskKinds.BelrondeCall or TaskKinds.Visit))
        {
            return new("oranje", "aandacht: contact gepland");
        }

        if (resident.LearningDay is { } day && day < resident.LearningDays)
        {
            return new("grijs", $"leren: dag {day} van {resident.LearningDays}");
        }

        return new("groen", "geen bijzonderheden");
    }
}
