using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Installation;
using HomeSignal.Dashboard.Outreach;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace HomeSignal.Dashboard.Pages;

/// <summary>
/// "Looptest": guides the installer sensor by sensor, ticks each off live (the page polls <c>?handler=Stand</c> every
/// second), says what went wrong, and offers "opnieuw"; then "Live zetten", revoke and replace. Every action is audited;
/// the hub enforces the go-live rules too, and its refusals are shown in words.
/// </summary>
[Authorize(Policy = AccountsExtensions.Policies.Installation)]
public sealed class LooptestModel(HubClient hub, LocalClock clock, PollingViews polls, AuditLog audit) : DashboardPage(audit)
{
    public WalkTestView? View { get; private set; }

    public HubKit? Kit { get; private set; }

    public string? ResidentName { get; private set; }

    public string Local(DateTimeOffset at) => clock.ToLocal(at).ToString("d MMM yyyy HH:mm", System.Globalization.CultureInfo.GetCultureInfo("nl-NL"));

    public async Task<IActionResult> OnGetAsync(string kitId, CancellationToken ct)
    {
        if (!await LoadAsync(kitId, ct))
        {
            return NotFound();
        }

        Audit("looptest bekeken", Kit!.ResidentId, $"kit {kitId}");
        return Page();
    }

    /// <summary>The live state for the page's script; audited once per user and kit (it is polled every second).</summary>
    public async Task<IActionResult> OnGetStandAsync(string kitId, CancellationToken ct)
    {
        if (!await LoadAsync(kitId, ct))
        {
            return NotFound();
        }

        if (polls.FirstTime(UserName, "looptest:" + kitId))
        {
            Audit("looptest gevolgd", Kit!.ResidentId, $"kit {kitId}");
        }

        return new JsonResult(View);
    }

    public Task<IActionResult> OnPostStartenAsync(string kitId, CancellationToken ct) =>
        ActAsync(kitId, "looptest gestart", () => hub.StartWalkTestAsync(kitId, ct), "De looptest is gestart. Volg de stappen hieronder.", ct);

    public Task<IActionResult> OnPostOpnieuwAsync(string kitId, string? sensorId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(sensorId) || sensorId.Length > 64)
        {
            ErrorMessage = "Kies de sensor die opnieuw getest moet worden.";
            return Task.FromResult<IActionResult>(Redirect(PagePath(kitId)));
        }

        return ActAsync(kitId, "looptest stap opnieuw", () => hub.RetryWalkTestStepAsync(kitId, sensorId, ct),
            "Probeer deze sensor opnieuw.", ct, $"sensor {sensorId}");
    }

    public async Task<IActionResult> OnPostLiveZettenAsync(string kitId, CancellationToken ct)
    {
        if (!await LoadAsync(kitId, ct))
        {
            return NotFound();
        }

        // Checked here for a clear message; the hub checks the same and has the last word.
        if (!View!.MayGoLive)
        {
            ErrorMessage = View.GoLiveBlocker ?? InstallerWords.Refusal(new HubRefusedException(409, HubProblemCodes.KitNotInstalling, ""));
            Audit("live zetten geweigerd", Kit!.ResidentId, $"kit {kitId}: {ErrorMessage}");
            return Redirect(PagePath(kitId));
        }

        return await ActAsync(kitId, "kit live gezet", () => hub.GoLiveAsync(kitId, UserName, ct),
            "De kit is live: de monitoring is gestart. De eerste twee weken leert HomeSignal het dagritme.", ct);
    }

    public Task<IActionResult> OnPostIntrekkenAsync(string kitId, bool confirm, CancellationToken ct)
    {
        if (!confirm)
        {
            ErrorMessage = "Vink eerst aan dat u deze kit wilt intrekken.";
            return Task.FromResult<IActionResult>(Redirect(PagePath(kitId)));
        }

        return ActAsync(kitId, "kit ingetrokken", () => hub.RevokeKitAsync(kitId, ct),
            "De kit is ingetrokken: hij kan geen verbinding meer maken.", ct);
    }

    public async Task<IActionResult> OnPostVervangenAsync(string kitId, string? code, CancellationToken ct)
    {
        var normalized = ClaimCodeInput.Normalize(code);
        if (normalized is null)
        {
            ErrorMessage = InstallerWords.BadCode;
            return Redirect(PagePath(kitId));
        }

        if (!await LoadAsync(kitId, ct))
        {
            return NotFound();
        }

        try
        {
            var replacement = await hub.ReplaceKitAsync(kitId, normalized, UserName, ct);
            Audit("kit vervangen", replacement.ResidentId, $"kit {kitId} vervangen door {replacement.KitId}, code {normalized}");
            Message = $"Kit {kitId} is vervangen door {replacement.KitId}; de geschiedenis van de bewoner blijft bewaard. Doe nu de looptest met de nieuwe kit.";
            return Redirect(PagePath(replacement.KitId));
        }
        catch (HubRefusedException refusal)
        {
            ErrorMessage = InstallerWords.Refusal(refusal);
            Audit("kit vervangen geweigerd", Kit!.ResidentId, $"kit {kitId}, code {normalized}: {refusal.Code ?? refusal.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            return Redirect(PagePath(kitId));
        }
    }

    private static string PagePath(string kitId) => $"/Installatie/Looptest/{Uri.EscapeDataString(kitId)}";

    private async Task<IActionResult> ActAsync(string kitId, string action, Func<Task> call, string done, CancellationToken ct, string detail = "")
    {
        var kit = await hub.KitAsync(kitId, ct);
        if (kit is null)
        {
            return NotFound();
        }

        try
        {
            await call();
            Audit(action, kit.ResidentId, $"kit {kitId}{(detail.Length > 0 ? ", " + detail : "")}");
            Message = done;
        }
        catch (HubRefusedException refusal)
        {
            ErrorMessage = InstallerWords.Refusal(refusal);
            Audit(action + " geweigerd", kit.ResidentId, $"kit {kitId}: {refusal.Code ?? refusal.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        return Redirect(PagePath(kitId));
    }

    private async Task<bool> LoadAsync(string kitId, CancellationToken ct)
    {
        Kit = await hub.KitAsync(kitId, ct);
        if (Kit is null)
        {
            return false;
        }

        var test = await hub.WalkTestAsync(kitId, ct);
        HubResident? resident = null;
        var consent = HubConsent.None;
        if (Kit.ResidentId is { } residentId)
        {
            // The name (to recognise the home), consent and learning day: never the resident's behaviour.
            resident = await hub.ResidentAsync(residentId, ct);
            consent = await hub.ConsentAsync(residentId, ct);
        }

        ResidentName = resident?.DisplayName;
        View = WalkTestView.From(Kit, test, consent, resident, clock.UtcNow);
        return true;
    }
}
