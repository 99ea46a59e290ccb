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

/// <summary>The global cap on waiting claims, the per-address limit on new codes, and the cleanup of expired claims.</summary>
public sealed class ClaimCapTests
{
    [Fact]
    public async Task A_new_code_beyond_the_cap_is_refused_with_the_reason_and_nothing_existing_is_affected()
    {
        var logs = new CapturedLogs();
        await using var hub = await Installer.StartHubAsync(b => b.Logging.AddProvider(logs), new Dictionary<string, string?> { ["Provisioning:MaxWaitingClaims"] = "3" });
        using var installer = new Installer(hub);
        var residentId = await installer.ConsentedResidentAsync();
        var (enrolled, enrolledSecret) = await installer.NewClaimAsync();
        var (waiting, waitingSecret) = await installer.NewClaimAsync();
        await installer.NewClaimAsync();
        var enrolment = await installer.EnrolAsync(enrolled, residentId);
        await TestHub.EnsureSuccessAsync(enrolment);
        var (third, _) = await installer.NewClaimAsync(); // the enrolled one no longer waits: room for a third

        var refused = await installer.PollAsync(ClaimCode.New(), ClaimSecret.New());

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ClaimProblemCodes.TooManyPolls, problem.GetProperty("code").GetString());
        Assert.Contains("3 kits waiting to be enrolled", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await installer.PollAsync(ClaimCode.New(), ClaimSecret.New())).StatusCode);
        Assert.Single(logs.At(LogLevel.Warning), m => m.Contains("claims are waiting for enrolment already", StringComparison.Ordinal)); // a flood logs every 100th

        // Known codes keep polling, enrolling and collecting while the hub is full.
        Assert.Equal(HttpStatusCode.Accepted, (await installer.PollAsync(waiting, waitingSecret)).StatusCode);
        var collected = await installer.PollAsync(enrolled, enrolledSecret);
        Assert.Equal(HttpStatusCode.OK, collected.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await installer.EnrolAsync(third, residentId)).StatusCode);
        Assert.Equal("waiting", (await hub.Http.GetFromJsonAsync<JsonElement>($"/api/claims/{waiting}")).GetProperty("status").GetString());

        // Enrolling freed a place.
        await installer.NewClaimAsync();
        var stats = await hub.Http.GetFromJsonAsync<JsonElement>("/api/provisioning/stats");
        Assert.Equal(2, stats.GetProperty("refusedHubFull").GetInt64());
        Assert.Equal(3, stats.GetProperty("waitingClaims").GetInt64());
        Assert.Equal(3, stats.GetProperty("maxWaitingClaims").GetInt32());
    }

    [Fact]
    public async Task Expired_claims_free_the_cap_and_are_deleted_after_the_retention()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var hub = await Installer.StartHubAsync(b => b.Services.AddSingleton<TimeProvider>(time), new Dictionary<string, string?>
        {
            ["Provisioning:MaxWaitingClaims"] = "2",
            ["Provisioning:ClaimLifetime"] = "1.00:00:00",
            ["Provisioning:ExpiredClaimRetention"] = "2.00:00:00",
        });
        using var installer = new Installer(hub);
        var (old, oldSecret) = await installer.NewClaimAsync();
        await installer.NewClaimAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await installer.PollAsync(ClaimCode.New(), ClaimSecret.New())).StatusCode);

        time.Advance(TimeSpan.FromDays(1));
        var (fresh, freshSecret) = await installer.NewClaimAsync();
        await installer.NewClaimAsync();
        Assert.Equal(ClaimProblemCodes.ClaimExpired, await Installer.CodeOf(await installer.PollAsync(old, oldSecret)));

        // Within the retention the expired code is still known (its kit hears claim-expired); after it, it is gone.
        var sweep = hub.Get<ClaimSweep>();
        time.Advance(TimeSpan.FromDays(1));
        await sweep.SweepAsync(CancellationToken.None);
        Assert.Equal("expired", (await hub.Http.GetFromJsonAsync<JsonElement>($"/api/claims/{old}")).GetProperty("status").GetString());
        time.Advance(TimeSpan.FromDays(1));
        await sweep.SweepAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync($"/api/claims/{old}")).StatusCode);
        Assert.Equal(2, (await hub.Http.GetFromJsonAsync<JsonElement>("/api/provisioning/stats")).GetProperty("expiredClaimsDeleted").GetInt64());
        Assert.Equal("expired", (await hub.Http.GetFromJsonAsync<JsonElement>($"/api/claims/{fresh}")).GetProperty("status").GetString());
        Assert.Equal(ClaimProblemCodes.ClaimExpired, await Installer.CodeOf(await installer.PollAsync(fresh, freshSecret)));
    }

    [Fact]
    public async Task One_address_reporting_too_many_new_codes_is_refused_until_the_window_passes_while_its_known_codes_keep_polling()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var hub = await Installer.StartHubAsync(b => b.Services.AddSingleton<TimeProvider>(time), new Dictionary<string, string?>
        {
            ["Provisioning:MaxNewClaimsPerSource"] = "2",
            ["Provisioning:NewClaimWindow"] = "01:00:00",
        });
        using var installer = new Installer(hub);
        var (first, firstSecret) = await installer.NewClaimAsync();
        time.Advance(TimeSpan.FromMinutes(10));
        await installer.NewClaimAsync();
        var code = ClaimCode.New();
        var secret = ClaimSecret.New();

        var refused = await installer.PollAsync(code, secret);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("This address reported more than 2 new claim codes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(50), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.Accepted, (await installer.PollAsync(first, firstSecret)).StatusCode);
        var known = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/claims/{first}");
        Assert.Equal(TimeSpan.FromMinutes(10), known.GetProperty("lastSeen").GetDateTimeOffset() - known.GetProperty("firstSeen").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync($"/api/claims/{code}")).StatusCode);

        time.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal(HttpStatusCode.Accepted, (await installer.PollAsync(code, secret)).StatusCode);
        Assert.Equal(1, (await hub.Http.GetFromJsonAsync<JsonElement>("/api/provisioning/stats")).GetProperty("refusedSourceLimit").GetInt64());
    }

    [Fact]
    public async Task The_cap_and_cleanup_options_are_validated_on_start()
    {
        var error = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestHub.StartAsync(new Dictionary<string, string?>
        {
            ["Provisioning:MaxWaitingClaims"] = "0",
            ["Provisioning:MaxNewClaimsPerSource"] = "0",
            ["Provisioning:NewClaimWindow"] = "00:00:00",
            ["Provisioning:ExpiredClaimRetention"] = "-1.00:00:00",
            ["Provisioning:SweepInterval"] = "00:00:00",
        }));
        foreach (var key in new[] { "MaxWaitingClaims", "MaxNewClaimsPerSource", "NewClaimWindow", "ExpiredClaimRetention", "SweepInterval" })
        {
            Assert.Contains("Provisioning:" + key, error.Message, StringComparison.Ordinal);
        }
    }
}
