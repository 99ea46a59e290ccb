using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Installation;
using HomeSignal.Dashboard.Outreach;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace HomeSignal.Dashboard.Pages;

/// <summary>
/// "Kit aanmelden": pick or create the bewoner, record toestemming per purpose (date, who asked), enter the claim code
/// (the label's QR opens this page with <c>?code=</c>). Refusals of the hub are said in Dutch; the form keeps its values.
/// </summary>
[Authorize(Policy = AccountsExtensions.Policies.Installation)]
public sealed class AanmeldenModel(HubClient hub, LocalClock clock, AuditLog audit) : DashboardPage(audit)
{
    public const string NewResident = "nieuw";

    public IReadOnlyList<HubResident> Residents { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    [BindProperty]
    public string? ResidentId { get; set; }

    [BindProperty]
    public string? NewName { get; set; }

    [BindProperty]
    public string? NewPhone { get; set; }

    [BindProperty]
    public bool Monitoring { get; set; }

    [BindProperty]
    public bool ShareWithNurse { get; set; }

    [BindProperty]
    public bool Belronde { get; set; }

    [BindProperty]
    public DateOnly? ConsentDate { get; set; }

    [BindProperty]
    public string? AskedBy { get; set; }

    public string Today => clock.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Code = ClaimCodeInput.Normalize(Code) ?? Code?.Trim();
        ConsentDate = clock.Today;
        AskedBy = User.DisplayName();
        await LoadResidentsAsync(ct);
        Audit("kit aanmelden geopend", null, Code is null ? "" : $"code {Code}");
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadResidentsAsync(ct);
        var code = ClaimCodeInput.Normalize(Code);
        var problem = Validate(code);
        if (problem is not null)
        {
            ErrorMessage = problem;
            Audit("kit aanmelden geweigerd", ResidentId is NewResident ? null : ResidentId, problem);
            return Page();
        }

        try
        {
            // The code first: a refused code must not create a resident or change anyone's recorded consent.
            var claim = await hub.ClaimAsync(code!, ct);
            if (claim?.Status is "enrolled" or "collected" or "expired")
            {
                throw new HubRefusedException(410, claim.Status == "expired" ? HubProblemCodes.ClaimExpired : HubProblemCodes.ClaimUsed, claim.Status);
            }

            if (ResidentId == NewResident)
            {
                var created = await hub.CreateResidentAsync(NewName!.Trim(), string.IsNullOrWhiteSpace(NewPhone) ? null : NewPhone.Trim(), ct);
                ResidentId = created.ResidentId;
                Audit("bewoner aangemaakt", ResidentId, "bij aanmelden kit");
                await LoadResidentsAsync(ct);
            }

            var recordedAt = ConsentDate == clock.Today ? clock.UtcNow : clock.At(ConsentDate!.Value, new TimeOnly(12, 0));
            await hub.PutConsentAsync(ResidentId!, new HubConsent(Monitoring, ShareWithNurse, Belronde, AskedBy!.Trim(), recordedAt), ct);
            Audit("toestemming vastgelegd", ResidentId,
                $"monitoring={Monitoring}, wijkverpleegkundige={ShareWithNurse}, belronde={Belronde}, gevraagd door {AskedBy.Trim()} op {ConsentDate:yyyy-MM-dd}");

            var enrolment = await hub.EnrolAsync(code!, ResidentId!, UserName, ct);
            Audit("kit aangemeld", ResidentId, $"kit {enrolment.KitId}, code {code}");
            Code = null;
            // The walk test is started from its page once the kit is connected: its steps time out, and the kit may
            // need a minute to collect its credentials.
            Message = $"Kit {enrolment.KitId} is aangemeld. Zodra de kit verbonden is, start u hieronder de looptest.";
            return Redirect($"/Installatie/Looptest/{Uri.EscapeDataString(enrolment.KitId)}");
        }
        catch (HubRefusedException refusal)
        {
            ErrorMessage = InstallerWords.Refusal(refusal);
            Audit("kit aanmelden geweigerd", ResidentId is NewResident ? null : ResidentId, $"code {code}: {refusal.Code ?? refusal.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            return Page();
        }
        catch (HubUnavailableException)
        {
            ErrorMessage = HubDown;
            return Page();
        }
    }

    private string? Validate(string? code)
    {
        if (code is null)
        {
            return InstallerWords.BadCode;
        }

        if (string.IsNullOrWhiteSpace(ResidentId))
        {
            return "Kies eerst de bewoner, of kies 'Nieuwe bewoner' en vul de naam in.";
        }

        if (ResidentId == NewResident && (string.IsNullOrWhiteSpace(NewName) || NewName.Trim().Length > 100))
        {
            return "Vul de naam van de nieuwe bewoner in (hoogstens 100 tekens).";
        }

        if (ResidentId != NewResident && Residents.All(r => r.ResidentId != ResidentId))
        {
            return "Deze bewoner bestaat niet (meer). Kies de bewoner opnieuw.";
        }

        if (!Monitoring)
        {
            return InstallerWords.NoMonitoringConsent;
        }

        if (ConsentDate is null || ConsentDate > clock.Today || ConsentDate < clock.Today.AddYears(-1))
        {
            return "Vul de datum in waarop de toestemming is gegeven (niet in de toekomst, niet langer dan een jaar geleden).";
        }

        if (string.IsNullOrWhiteSpace(AskedBy) || AskedBy.Trim().Length > 100)
        {
            return "Vul in wie de toestemming heeft gevraagd.";
        }

        return null;
    }

    private async Task LoadResidentsAsync(CancellationToken ct)
    {
        try
        {
            Residents = [.. (await hub.ResidentsAsync(ct)).OrderBy(r => r.DisplayName, StringComparer.CurrentCulture)];
        }
        catch (HubUnavailableException)
        {
            HubProblem = HubDown;
        }
    }
}
