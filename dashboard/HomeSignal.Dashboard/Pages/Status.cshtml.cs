using HomeSignal.Dashboard.Hub;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HomeSignal.Dashboard.Pages;

/// <summary>Error and refusal pages in plain Dutch; the status code is kept.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    /// <summary>The key under which a page leaves the Dutch reason for its refusal (<see cref="DashboardPage"/>).</summary>
    public const string RefusalReason = "homesignal.refusal";

    public string Title { get; private set; } = string.Empty;

    public string Text { get; private set; } = string.Empty;

    public void OnGet(int code) => Describe(code);

    public void OnPost(int code) => Describe(code);

    private void Describe(int code)
    {
        var error = HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        (Title, Text) = code switch
        {
            403 when HttpContext.Items[RefusalReason] is string reason => ("Geen toegang", reason),
            403 => ("Geen toegang", "U heeft geen toegang tot deze pagina. Deze gegevens zijn alleen zichtbaar voor wie ze nodig heeft voor zijn of haar werk."),
            404 => ("Niet gevonden", "Deze pagina of bewoner bestaat niet (meer)."),
            400 => ("Dat ging niet goed", "Het formulier was verlopen of onvolledig. Probeer het opnieuw."),
            _ when error is HubUnavailableException => ("Hub niet bereikbaar", "De gegevens kunnen nu niet worden opgehaald. Probeer het over een paar minuten opnieuw."),
            _ => ("Er ging iets mis", "Er ging iets mis aan onze kant. Probeer het opnieuw; blijft het misgaan, meld het dan bij de beheerder."),
        };
        Response.StatusCode = code is >= 400 and < 600 ? code : 500;
    }
}
