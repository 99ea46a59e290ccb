using System.Globalization;
using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Consent;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Installation;
using HomeSignal.Dashboard.Outreach;
using HomeSignal.Dashboard.Trends;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace HomeSignal.Dashboard.Pages;

/// <summary>
/// One resident: traffic light, actogram, weekly trends with the normal band, signals, tasks, context calendar, consent.
/// Access is decided per object on the server (<see cref="ResidentAccess"/>); every view and change is audited.
/// A sociaal werker opens only their own residents; a resident without a vast aanspreekpunt shows only the name and the
/// form to take them on; anyone else's resident is refused with the reason, and the refusal is audited.
/// </summary>
[Authorize]
public sealed class BewonerModel(HubClient hub, ResidentAccess access, TaskStore tasks, Caseload caseload, UserStore users, ChartData charts,
    ResidentErasure erasure, LocalClock clock, AuditLog audit) : DashboardPage(audit)
{
    public static readonly IReadOnlyDictionary<string, string> ContextKinds = new Dictionary<string, string>
    {
        ["holiday"] = "Vakantie of logeren",
        ["hospital"] = "Ziekenhuisopname",
        ["day-care"] = "Dagbesteding",
        ["visit"] = "Bezoek",
        ["life-event"] = "Ingrijpende gebeurtenis",
    };

    public static readonly IReadOnlyList<(string Metric, string Label)> TrendChartList =
    [
        ("outings", "Keren naar buiten per week"), ("hoursOut", "Uren buitenshuis per week"), ("motion", "Beweging in huis per week"),
        ("post", "Post opgehaald per week"), ("night", "Beweging 's nachts per week"),
    ];

    public IReadOnlyList<(string Metric, string Label)> TrendCharts => TrendChartList;

    public HubResident? Resident { get; private set; }

    public ResidentView? View { get; private set; }

    public TrafficLight? Light { get; private set; }

    /// <summary>The vast aanspreekpunt's name, or null when the resident has none.</summary>
    public string? Contact { get; private set; }

    /// <summary>For a sociaal werker: the colleagues this resident can be given to (all active sociaal werkers but the current one).</summary>
    public IReadOnlyList<DashboardUser> Colleagues { get; private set; } = [];

    public IReadOnlyList<HubSignal> Signals { get; private set; } = [];

    public IReadOnlyList<OutreachTask> Tasks { get; private set; } = [];

    public IReadOnlyList<HubContextPeriod> Context { get; private set; } = [];

    public bool OnDailyRound { get; private set; }

    public string? DailyReason { get; private set; }

    /// <summary>"leren: dag N van 14" while the hub is still learning the routine.</summary>
    public string? Learning { get; private set; }

    public string Local(DateTimeOffset at) => clock.ToLocal(at).ToString("d MMM yyyy HH:mm", CultureInfo.GetCultureInfo("nl-NL"));

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (await AllowAsync(id, "bewoner bekeken", ct, mayTakeOn: true) is { } refused)
        {
            return refused;
        }

        var contact = caseload.ContactOf(id);
        Contact = contact is null ? null : users.Find(contact)?.DisplayName ?? contact;
        if (UserRole == Roles.SociaalWerker)
        {
            Colleagues = [.. users.List(Roles.SociaalWerker).Where(u => u.Active && u.Username != contact)];
        }

        if (View!.MayTakeOn)
        {
            // Not assigned yet: the name and the way to take the resident on, nothing else (least disclosure).
            return Page();
        }

        var all = tasks.List(residentId: id, limit: 100);
        Light = TrafficLight.For(Resident!, View!, [.. all.Where(t => TaskStatuses.IsActive(t.Status))]);
        Learning = InstallerWords.Learning(Resident, clock.UtcNow);
        if (View!.ShowsBehaviour)
        {
            Tasks = all;
            var daily = caseload.DailyRound().FirstOrDefault(d => d.ResidentId == id);
            OnDailyRound = daily is not null;
            DailyReason = daily?.Reason;
            try
            {
                Signals = [.. (await hub.ResidentSignalsAsync(id, clock.UtcNow.AddDays(-7 * ChartData.Weeks), clock.UtcNow, ct)).OrderByDescending(s => s.RaisedAt)];
                Context = [.. (await hub.ContextAsync(id, ct)).OrderByDescending(c => c.From)];
            }
            catch (HubUnavailableException)
            {
                HubProblem = HubDown;
            }
        }

        return Page();
    }

    public async Task<IActionResult> OnGetGrafiekenAsync(string id, CancellationToken ct)
    {
        if (await AllowAsync(id, "grafieken bekeken", ct) is { } refused)
        {
            return refused;
        }

        return View!.ShowsBehaviour ? new JsonResult(await charts.ForAsync(id, ct)) : Forbid();
    }

    public async Task<IActionResult> OnPostContextAsync(string id, string kind, DateOnly? from, DateOnly? to, string? note, CancellationToken ct)
    {
        if (await AllowAsync(id, null, ct) is { } refused || !View!.MayEditContext)
        {
            return Forbid();
        }

        if (!ContextKinds.ContainsKey(kind) || from is null || (to is not null && to < from))
        {
            ErrorMessage = "Kies een soort en een geldige begindatum; de einddatum mag niet voor de begindatum liggen.";
            return RedirectToPage(new { id });
        }

        var period = new HubContextPeriod(kind, clock.At(from.Value, TimeOnly.MinValue),
            to is null ? null : clock.At(to.Value, new TimeOnly(23, 59, 59)), string.IsNullOrWhiteSpace(note) ? null : note.Trim());
        await hub.AddContextAsync(id, period, ct);
        Audit("kalender aangevuld", id, $"{kind} {from:yyyy-MM-dd}");
        Message = "Toegevoegd aan de kalender.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostToestemmingAsync(string id, bool monitoring, bool shareWithNurse, bool belronde, CancellationToken ct)
    {
        if (await AllowAsync(id, null, ct) is { } refused || !View!.MayEditConsent)
        {
            return Forbid();
        }

        await hub.PutConsentAsync(id, new HubConsent(monitoring, shareWithNurse, belronde, UserName, clock.UtcNow), ct);
        Audit("toestemming vastgelegd", id, $"monitoring={monitoring}, wijkverpleegkundige={shareWithNurse}, belronde={belronde}");
        Message = "Toestemming opgeslagen.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostDagelijksAsync(string id, bool daily, string? reason, CancellationToken ct)
    {
        if (await AllowAsync(id, null, ct) is { } refused || !View!.MayEditContext || !View.ShowsBehaviour)
        {
            return Forbid();
        }

        if (daily && !View.Consent.Belronde)
        {
            ErrorMessage = "Zonder toestemming voor de belronde kan de bewoner niet op de dagelijkse belronde.";
            return RedirectToPage(new { id });
        }

        if (daily)
        {
            caseload.AddToDailyRound(id, reason ?? string.Empty, UserName);
        }
        else
        {
            caseload.RemoveFromDailyRound(id);
        }

        Audit(daily ? "op dagelijkse belronde gezet" : "van dagelijkse belronde gehaald", id);
        Message = "Opgeslagen.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostToestemmingIntrekkenAsync(string id, CancellationToken ct)
    {
        if (await AllowAsync(id, null, ct) is not null || !View!.MayEditConsent)
        {
            return Forbid();
        }

        await hub.PutConsentAsync(id, new HubConsent(false, false, false, UserName, clock.UtcNow), ct);
        caseload.RemoveFromDailyRound(id);
        Audit("toestemming ingetrokken", id, "monitoring, wijkverpleegkundige en belronde");
        Message = "De toestemming is ingetrokken: de monitoring stopt. U kunt nu alle gegevens verwijderen.";
        return RedirectToPage(new { id });
    }

    /// <summary>Decommissioning: the hub deletes the resident from every store (only after consent was withdrawn), then the dashboard its own data.</summary>
    public async Task<IActionResult> OnPostVerwijderenAsync(string id, bool confirm, CancellationToken ct)
    {
        if (await AllowAsync(id, null, ct) is not null || !View!.MayEditConsent)
        {
            return Forbid();
        }

        if (!confirm)
        {
            ErrorMessage = "Vink eerst aan dat u alle gegevens wilt verwijderen.";
            return RedirectToPage(new { id });
        }

        if (View.Consent.Monitoring)
        {
            ErrorMessage = InstallerWords.Refusal(new HubRefusedException(409, HubProblemCodes.ConsentNotWithdrawn, ""));
            Audit("gegevens verwijderen geweigerd", id, "toestemming niet ingetrokken");
            return RedirectToPage(new { id });
        }

        try
        {
            await hub.DeleteResidentAsync(id, ct);
        }
        catch (HubRefusedException refusal)
        {
            ErrorMessage = InstallerWords.Refusal(refusal);
            Audit("gegevens verwijderen geweigerd", id, refusal.Code ?? refusal.Status.ToString(CultureInfo.InvariantCulture));
            return RedirectToPage(new { id });
        }

        var rows = erasure.Erase(id);
        // The audit line names only the pseudonymous id: the name is gone with the hub's registry entry.
        Audit("alle gegevens verwijderd", id, $"hub: bewoner verwijderd; dashboard: {rows} regels verwijderd");
        Message = "Alle gegevens van deze bewoner zijn verwijderd.";
        return Redirect("/Bewoners");
    }

    /// <summary>Loads the resident and decides access; returns a refusal, or null when allowed. Audits views and refusals.</summary>
    private async Task<IActionResult?> AllowAsync(string id, string? viewAction, CancellationToken ct, bool mayTakeOn = false)
    {
        View = await access.ForAsync(UserName, UserRole, id, ct);
        if (!View.MayOpen && !(mayTakeOn && View.MayTakeOn))
        {
            var reason = View.MayTakeOn
                ? $"{View.Refusal} Word eerst zelf het vaste aanspreekpunt, of wijs een collega aan, via de pagina Bewoners."
                : View.Refusal;
            return Refuse(id, "bewonerspagina", reason);
        }

        Resident = await hub.ResidentAsync(id, ct);
        if (Resident is null)
        {
            return NotFound();
        }

        if (viewAction is not null)
        {
            Audit(View.MayOpen ? viewAction : "bewoner zonder vast aanspreekpunt bekeken", id, View.MayOpen ? "" : "alleen naam");
        }

        return null;
    }
}
