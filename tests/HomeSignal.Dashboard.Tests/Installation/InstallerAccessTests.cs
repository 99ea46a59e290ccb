using System.Net;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HomeSignal.Dashboard.Tests.Installation;

public class InstallerAccessTests
{
    [Theory]
    [InlineData("anna")]
    [InlineData("carla")]
    [InlineData("dirk")]
    [InlineData("greet")]
    public async Task Only_an_installer_opens_or_posts_to_the_installation_pages(string username)
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        using var frank = await host.SignInAsync("frank");
        var kitId = await Enrolment.EnrolAsync(host, frank, "ABCD-EFGH-JK");
        using var other = await host.SignInAsync(username);

        foreach (var path in new[] { "/Installatie", "/Installatie/Aanmelden?code=ABCD-EFGH-JK", $"/Installatie/Looptest/{kitId}", $"/Installatie/Looptest/{kitId}?handler=Stand" })
        {
            using var response = await other.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        // A post with a valid antiforgery token (taken from a page this user may open) is still refused.
        using var post = await DashboardHost.PostFormAsync(other, "/Inloggen", $"/Installatie/Looptest/{kitId}?handler=Intrekken", new() { ["confirm"] = "true" });
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal("installing", (string?)host.Hub.FindKit(kitId)!["stage"]);
        Assert.DoesNotContain(host.App.Services.GetRequiredService<AuditLog>().Recent(), e => e.Actor == username && e.Action.StartsWith("kit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Someone_not_signed_in_is_sent_to_the_log_in_page()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        using var anonymous = host.Client();

        using var response = await anonymous.GetAsync("/Installatie/Aanmelden?code=ABCD-EFGH-JK");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Inloggen", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("code%3DABCD-EFGH-JK", response.Headers.Location!.Query, StringComparison.Ordinal);
    }
}
