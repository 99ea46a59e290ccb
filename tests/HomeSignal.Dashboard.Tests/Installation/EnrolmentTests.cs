using System.Net;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Installation;
using HomeSignal.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HomeSignal.Dashboard.Tests.Installation;

public class EnrolmentTests
{
    [Fact]
    public async Task A_scanned_label_opens_the_enrolment_page_with_the_code_filled_in()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        using var frank = await host.SignInAsync("frank");

        using var start = await frank.GetAsync("/");
        var page = await frank.GetStringAsync("/Installatie/Aanmelden?code=abcd%20efgh-jk");

        Assert.Equal("/Installatie", start.Headers.Location!.OriginalString);
        Assert.Contains("value=\"ABCD-EFGH-JK\"", page, StringComparison.Ordinal);
        Assert.Contains("Mevrouw A. Jansen", page, StringComparison.Ordinal);
        Assert.Contains("Vindt u het goed dat de sensoren uw dagritme volgen?", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_installer_creates_the_resident_records_consent_enters_the_code_and_starts_the_walk_test_once_the_kit_is_connected()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        using var frank = await host.SignInAsync("frank");

        var kitId = await Enrolment.EnrolAsync(host, frank, "abcd-efgh-jk");

        var resident = Assert.Single(host.Hub.Residents.Values, r => (string?)r["displayName"] == "Mevrouw G. de Boer");
        var residentId = (string)resident["residentId"]!;
        var consent = host.Hub.Consents[residentId];
        Assert.True((bool)consent["monitoring"]!);
        Assert.True((bool)consent["shareWithNurse"]!);
        Assert.False((bool)consent["belronde"]!);
        Assert.Equal("Frank Hoek, namens de wijkteam-intake", (string?)consent["recordedBy"]);
        Assert.StartsWith("2026-03-10", (string?)consent["recordedAt"], StringComparison.Ordinal);
        Assert.Equal(residentId, (string?)host.Hub.FindKit(kitId)!["residentId"]);
        Assert.Equal("installing", (string?)host.Hub.FindKit(kitId)!["stage"]);
        // The walk test waits for the kit to connect (its steps time out): the start button is off until then.
        Assert.False(host.Hub.WalkTests.ContainsKey(kitId));
        var walkTest = await frank.GetStringAsync($"/Installatie/Looptest/{kitId}");
        Assert.Contains("is aangemeld", walkTest, StringComparison.Ordinal);
        Assert.Contains("id=\"looptest-starten\" disabled=\"disabled\"", walkTest, StringComparison.Ordinal);
        await Enrolment.StartWalkTestAsync(host, frank, kitId);
        Assert.Contains("Open de voordeur en sluit hem weer", await frank.GetStringAsync($"/Installatie/Looptest/{kitId}"), StringComparison.Ordinal);
        var audit = host.App.Services.GetRequiredService<AuditLog>().Recent();
        Assert.Contains(audit, e => e.Actor == "frank" && e.Action == "bewoner aangemaakt" && e.ResidentId == residentId);
        Assert.Contains(audit, e => e.Actor == "frank" && e.Action == "toestemming vastgelegd" && e.ResidentId == residentId);
        Assert.Contains(audit, e => e.Actor == "frank" && e.Action == "kit aangemeld" && e.Detail.Contains(kitId, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("12-34", null, "Deze code klopt niet")]
    [InlineData("ZZZZ-ZZZZ-ZZ", null, "Deze code is onbekend")]
    [InlineData("ABCD-EFGH-JK", "collected", "Deze code is al gebruikt")]
    [InlineData("ABCD-EFGH-JK", "expired", "Deze code is verlopen")]
    public async Task Bad_unknown_used_and_expired_codes_are_refused_in_Dutch_and_the_form_keeps_its_values(string code, string? claimStatus, string message)
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        using var frank = await host.SignInAsync("frank");
        if (claimStatus is not null)
        {
            host.Hub.AddClaim(code, claimStatus);
        }

        using var response = await DashboardHost.PostFormAsync(frank, Enrolment.Page, Enrolment.Page, Enrolment.Form(code, residentId: HubSeed.Mulder));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, page, StringComparison.Ordinal);
        Assert.Contains($"value=\"{code}\"", page, StringComparison.Ordinal);
        Assert.Equal(3, host.Hub.Kits.Count);
        Assert.False((bool)host.Hub.Consents[HubSeed.Mulder]["monitoring"]!); // a refused code changes no consent
        Assert.Contains(host.App.Services.GetRequiredService<AuditLog>().Recent(), e => e.Action == "kit aanmelden geweigerd");
    }

    [Fact]
    public async Task Without_monitoring_consent_no_resident_is_created_and_no_kit_enrolled()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        using var frank = await host.SignInAsync("frank");
        host.Hub.AddClaim("ABCD-EFGH-JK");

        using var response = await DashboardHost.PostFormAsync(frank, Enrolment.Page, Enrolment.Page, Enrolment.Form("ABCD-EFGH-JK", monitoring: false));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(InstallerWords.NoMonitoringConsent, page, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Hub.Residents.Values, r => (string?)r["displayName"] == "Mevrouw G. de Boer");
        Assert.Equal("waiting", (string?)host.Hub.Claims["ABCDEFGHJK"]["status"]);
    }

    [Fact]
    public async Task A_missing_name_or_resident_and_a_consent_date_in_the_future_are_refused()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        using var frank = await host.SignInAsync("frank");
        host.Hub.AddClaim("ABCD-EFGH-JK");
        var noName = Enrolment.Form("ABCD-EFGH-JK", newName: " ");
        var noResident = Enrolment.Form("ABCD-EFGH-JK", residentId: "");
        var unknownResident = Enrolment.Form("ABCD-EFGH-JK", residentId: "r-bestaat-niet");
        var future = Enrolment.Form("ABCD-EFGH-JK", residentId: HubSeed.Mulder);
        future["ConsentDate"] = "2026-03-11";

        foreach (var (form, message) in new[]
        {
            (noName, "Vul de naam van de nieuwe bewoner in"), (noResident, "Kies eerst de bewoner"),
            (unknownResident, "Deze bewoner bestaat niet (meer)"), (future, "niet in de toekomst"),
        })
        {
            using var response = await DashboardHost.PostFormAsync(frank, Enrolment.Page, Enrolment.Page, form);
            Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal("waiting", (string?)host.Hub.Claims["ABCDEFGHJK"]["status"]);
    }

    [Theory]
    [InlineData("abcd-efgh-jk", "ABCD-EFGH-JK")]
    [InlineData(" ABCD EFGH JK ", "ABCD-EFGH-JK")]
    [InlineData("0OIL-1234-56", "0011-1234-56")]
    [InlineData("ABCD-EFGH-J", null)]
    [InlineData("ABCD-EFGH-JKU", null)]
    [InlineData("ABCD-EFGH-J!", null)]
    [InlineData("", null)]
    public void Claim_codes_ignore_case_dashes_and_spaces_and_read_Crockford_lookalikes(string input, string? expected) =>
        Assert.Equal(expected, ClaimCodeInput.Normalize(input));
}
