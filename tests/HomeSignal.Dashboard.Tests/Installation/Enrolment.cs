using System.Net;
using HomeSignal.Dashboard.Tests.Infrastructure;

namespace HomeSignal.Dashboard.Tests.Installation;

/// <summary>The enrolment form as an installer fills it in, for the installation tests.</summary>
public static class Enrolment
{
    public const string Page = "/Installatie/Aanmelden";

    public static Dictionary<string, string> Form(string code, string residentId = "nieuw", string newName = "Mevrouw G. de Boer", bool monitoring = true) => new()
    {
        ["ResidentId"] = residentId,
        ["NewName"] = newName,
        ["NewPhone"] = "010-9876543",
        ["Monitoring"] = monitoring ? "true" : "false",
        ["ShareWithNurse"] = "true",
        ["Belronde"] = "false",
        ["ConsentDate"] = "2026-03-10",
        ["AskedBy"] = "Frank Hoek, namens de wijkteam-intake",
        ["Code"] = code,
    };

    /// <summary>Enrols a waiting kit for a new resident; returns the new kit's id from the redirect to its walk test.</summary>
    public static async Task<string> EnrolAsync(DashboardHost host, HttpClient installer, string code)
    {
        host.Hub.AddClaim(code);
        using var response = await DashboardHost.PostFormAsync(installer, Page, Page, Form(code));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/Installatie/Looptest/", location, StringComparison.Ordinal);
        return location["/Installatie/Looptest/".Length..];
    }

    /// <summary>The kit collected its credentials and connected; the installer starts the walk test from its page.</summary>
    public static async Task StartWalkTestAsync(DashboardHost host, HttpClient installer, string kitId)
    {
        lock (host.Hub.Kits)
        {
            host.Hub.FindKit(kitId)!["status"] = "online";
        }

        var page = $"/Installatie/Looptest/{kitId}";
        using var response = await DashboardHost.PostFormAsync(installer, page, $"{page}?handler=Starten", []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(host.Hub.WalkTests.ContainsKey(kitId));
    }
}
