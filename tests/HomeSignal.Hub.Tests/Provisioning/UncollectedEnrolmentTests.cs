using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HomeSignal.Contracts.Provisioning;
using HomeSignal.Hub.Provisioning;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace HomeSignal.Hub.Tests.Provisioning;

/// <summary>A kit enrolled but never collecting its credentials is revoked after the collect lifetime, not before.</summary>
public sealed class UncollectedEnrolmentTests
{
    [Fact]
    public async Task An_enrolment_not_collected_within_the_collect_lifetime_is_revoked_and_not_before()
    {
        var logs = new CapturedLogs();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var hub = await Installer.StartHubAsync(
            b =>
            {
                b.Services.AddSingleton<TimeProvider>(time);
                b.Logging.AddProvider(logs);
            },
            new Dictionary<string, string?> { ["Provisioning:CollectLifetime"] = "1.00:00:00", ["Provisioning:SweepInterval"] = "00:10:00" });
        using var installer = new Installer(hub);
        var residentId = await installer.ConsentedResidentAsync();
        var collectedKit = await installer.EnrolledKitAsync(residentId);
        var (code, secret) = await installer.NewClaimAsync();
        var enrolled = await installer.EnrolAsync(code, residentId);
        await TestHub.EnsureSuccessAsync(enrolled);
        var kitId = (await enrolled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kitId").GetString()!;
        var claims = hub.Get<ClaimStore>();
        var password = (await claims.FindAsync(ClaimStore.Hash(ClaimCodeOf(code)), CancellationToken.None))!.Password!;
        var kits = hub.Get<KitRegistry>();
        var username = kits.Find(kitId)!.Username;
        Assert.NotNull(kits.Authenticate(username, password));

        time.Advance(TimeSpan.FromHours(23));
        await hub.Get<ClaimSweep>().SweepAsync(CancellationToken.None);
        Assert.Equal("installing", await StageAsync(hub, kitId));
        Assert.NotNull(kits.Authenticate(username, password));

        // The sweep service runs on its own timer.
        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(10));
        await Eventually.TrueAsync(
            async () => await StageAsync(hub, kitId) == "revoked" && (await claims.FindAsync(ClaimStore.Hash(ClaimCodeOf(code)), CancellationToken.None))!.Password is null,
            "the uncollected kit is revoked and its password forgotten: " + string.Join(" | ", logs.At(LogLevel.Error).Concat(logs.At(LogLevel.Warning))));

        Assert.Null(kits.Authenticate(username, password));
        Assert.Equal("expired", (await hub.Http.GetFromJsonAsync<JsonElement>($"/api/claims/{code}")).GetProperty("status").GetString());
        Assert.Equal(ClaimProblemCodes.ClaimExpired, await Installer.CodeOf(await installer.PollAsync(code, secret)));
        Assert.Equal("installing", await StageAsync(hub, collectedKit));
        Assert.Equal(1, (await hub.Http.GetFromJsonAsync<JsonElement>("/api/provisioning/stats")).GetProperty("uncollectedRevoked").GetInt64());
        Assert.Contains(logs.At(LogLevel.Warning), m => m.StartsWith($"Kit {kitId} (resident {residentId}) was revoked: it did not collect its credentials", StringComparison.Ordinal));

        // Revoking once is enough: the next sweeps leave it be.
        await hub.Get<ClaimSweep>().SweepAsync(CancellationToken.None);
        Assert.Equal(1, hub.Get<ProvisioningStats>().UncollectedRevoked);
    }

    [Fact]
    public async Task Collecting_and_forgetting_an_uncollected_password_exclude_each_other()
    {
        using var parts = new HubParts();
        var claims = new ClaimStore(parts.Registry);
        var now = parts.Time.GetUtcNow();
        foreach (var code in new[] { "collected-first", "forgotten-first" })
        {
            var claim = new ClaimRecord(code, "secret", now, now, "1.0.0", [], null, null, null, null, null, null);
            Assert.Equal(ClaimInsert.Inserted, await claims.InsertAsync(claim, now.AddDays(-7), 10, CancellationToken.None));
            Assert.True(await claims.EnrolAsync(code, "kit-" + code, "r-1", "installateur Piet", "password", now, CancellationToken.None));
        }

        Assert.True(await claims.CollectAsync("collected-first", now, CancellationToken.None));
        Assert.False(await claims.ForgetUncollectedPasswordAsync("collected-first", CancellationToken.None));

        Assert.True(await claims.ForgetUncollectedPasswordAsync("forgotten-first", CancellationToken.None));
        Assert.False(await claims.CollectAsync("forgotten-first", now, CancellationToken.None));
        Assert.Single(await claims.UncollectedAsync(now, CancellationToken.None), c => c.CodeHash == "forgotten-first" && c.Password is null);
    }

    private static async Task<string?> StageAsync(TestHub hub, string kitId) =>
        (await hub.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{kitId}")).GetProperty("stage").GetString();

    private static string ClaimCodeOf(string code) => ClaimCode.TryNormalize(code, out var normalized) ? normalized : throw new ArgumentException(code);
}
