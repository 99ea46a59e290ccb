using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HomeSignal.Contracts.Provisioning;
using HomeSignal.Hub.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HomeSignal.Hub.Tests.Provisioning;

/// <summary>The claim exchange and enrolment over HTTP, with their refusals.</summary>
public sealed class EnrolmentTests
{
    [Fact]
    public async Task A_kit_waits_until_enrolled_then_collects_its_credentials_exactly_once()
    {
        await using var hub = await Installer.StartHubAsync();
        using var installer = new Installer(hub);
        var residentId = await installer.ConsentedResidentAsync();
        var (code, secret) = await installer.NewClaimAsync();

        var waiting = await installer.PollAsync(code, secret);
        Assert.Equal(HttpStatusCode.Accepted, waiting.StatusCode);
        var waitingAnswer = ClaimReader.ReadAnswer(await waiting.Content.ReadAsByteArrayAsync());
        Assert.True(waitingAnswer.IsValid, waitingAnswer.Error?.Message);
        Assert.Equal("waiting", waitingAnswer.Value!.Status);

        var claim = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/claims/{code.Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant()}");
        Assert.Equal("waiting", claim.GetProperty("status").GetString());
        Assert.Equal(5, claim.GetProperty("sensors").GetArrayLength());

        var enrolled = await installer.EnrolAsync(code, residentId);
        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        var enrolment = await enrolled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("installing", enrolment.GetProperty("stage").GetString());
        var kitId = enrolment.GetProperty("kitId").GetString()!;

        var collected = await installer.PollAsync(code, secret);
        Assert.Equal(HttpStatusCode.OK, collected.StatusCode);
        var answer = ClaimReader.ReadAnswer(await collected.Content.ReadAsByteArrayAsync());
        Assert.True(answer.IsValid, answer.Error?.Message);
        Assert.Equal(kitId, answer.Value!.KitId);
        Assert.Equal(hub.MqttPort, answer.Value.Broker!.Port);
        Assert.Null(answer.Value.Tls);
        Assert.Equal(5, answer.Value.Sensors.Count);
        Assert.NotNull(hub.Get<Hub.Registry.KitRegistry>().Authenticate(answer.Value.Username, answer.Value.Password));

        var again = await installer.PollAsync(code, secret);
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Equal(ClaimProblemCodes.ClaimUsed, await Installer.CodeOf(again));
        var reuse = await installer.EnrolAsync(code, residentId);
        Assert.Equal(HttpStatusCode.Gone, reuse.StatusCode);
        Assert.Equal(ClaimProblemCodes.ClaimUsed, await Installer.CodeOf(reuse));
        Assert.Equal("collected", (await hub.Http.GetFromJsonAsync<JsonElement>($"/api/claims/{code}")).GetProperty("status").GetString());

        var kit = await hub.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{kitId}");
        Assert.Equal("installing", kit.GetProperty("stage").GetString());
        Assert.Equal(residentId, kit.GetProperty("residentId").GetString());
    }

    [Fact]
    public async Task Unknown_codes_missing_consent_unknown_residents_and_bad_input_are_refused_with_stable_codes()
    {
        await using var hub = await Installer.StartHubAsync();
        using var installer = new Installer(hub);
        var withoutConsent = await hub.CreateResidentAsync();
        var (code, _) = await installer.NewClaimAsync();

        var unknown = await installer.EnrolAsync(ClaimCode.New(), withoutConsent);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(ClaimProblemCodes.UnknownClaim, await Installer.CodeOf(unknown));
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync($"/api/claims/{ClaimCode.New()}")).StatusCode);

        var consent = await installer.EnrolAsync(code, withoutConsent);
        Assert.Equal(HttpStatusCode.Conflict, consent.StatusCode);
        Assert.Equal("consent-missing", await Installer.CodeOf(consent));

        var nobody = await installer.EnrolAsync(code, "r-nobody");
        Assert.Equal(HttpStatusCode.NotFound, nobody.StatusCode);
        Assert.Equal("unknown-resident", await Installer.CodeOf(nobody));

        var malformed = await installer.EnrolAsync("not-a-code", withoutConsent);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(ClaimProblemCodes.InvalidClaim, await Installer.CodeOf(malformed));

        var badPoll = await installer.Kit.PostAsJsonAsync("/provisioning/claims", new { claimCode = code, claimSecret = "short", softwareVersion = "1", sensors = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, badPoll.StatusCode);
        Assert.Equal(ClaimProblemCodes.InvalidClaim, await Installer.CodeOf(badPoll));
        var notJson = await installer.Kit.PostAsync("/provisioning/claims", new StringContent("{ nope", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);

        using var huge = new StreamContent(new MemoryStream(new byte[ClaimReader.MaxPollBytes * 4]));
        huge.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var oversize = await installer.Kit.PostAsync("/provisioning/claims", huge);
        Assert.Equal(HttpStatusCode.BadRequest, oversize.StatusCode);
        Assert.Equal(ClaimProblemCodes.InvalidClaim, await Installer.CodeOf(oversize));

        // Still waiting after all that: nothing was bound.
        Assert.Equal("waiting", (await hub.Http.GetFromJsonAsync<JsonElement>($"/api/claims/{code}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_code_polled_with_another_secret_is_refused_as_bound_elsewhere()
    {
        await using var hub = await Installer.StartHubAsync();
        using var installer = new Installer(hub);
        var (code, _) = await installer.NewClaimAsync();

        var other = await installer.PollAsync(code, ClaimSecret.New());

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal(ClaimProblemCodes.ClaimBoundElsewhere, await Installer.CodeOf(other));
    }

    [Fact]
    public async Task A_code_polling_faster_than_allowed_gets_429()
    {
        await using var hub = await Installer.StartHubAsync(settings: new Dictionary<string, string?> { ["Provisioning:MinPollInterval"] = "00:00:30", ["Provisioning:PollInterval"] = "00:01:00" });
        using var installer = new Installer(hub);
        var (code, secret) = await installer.NewClaimAsync();

        var tooSoon = await installer.PollAsync(code, secret);

        Assert.Equal(HttpStatusCode.TooManyRequests, tooSoon.StatusCode);
        Assert.Equal(ClaimProblemCodes.TooManyPolls, await Installer.CodeOf(tooSoon));
        Assert.Equal(TimeSpan.FromSeconds(30), tooSoon.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task A_code_expires_after_the_claim_lifetime_and_an_enrolment_after_the_collect_lifetime()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var hub = await Installer.StartHubAsync(b => b.Services.AddSingleton<TimeProvider>(time));
        using var installer = new Installer(hub);
        var residentId = await installer.ConsentedResidentAsync();
        var (old, oldSecret) = await installer.NewClaimAsync();
        var (late, lateSecret) = await installer.NewClaimAsync();
        await TestHub.EnsureSuccessAsync(await installer.EnrolAsync(late, residentId));

        time.Advance(TimeSpan.FromHours(25)); // past the 24 h collect lifetime
        var uncollected = await installer.PollAsync(late, lateSecret);
        Assert.Equal(HttpStatusCode.Gone, uncollected.StatusCode);
        Assert.Equal(ClaimProblemCodes.ClaimExpired, await Installer.CodeOf(uncollected));

        time.Advance(TimeSpan.FromDays(7)); // past the 7 day claim lifetime
        var expired = await installer.EnrolAsync(old, residentId);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Equal(ClaimProblemCodes.ClaimExpired, await Installer.CodeOf(expired));
        Assert.Equal("expired", (await hub.Http.GetFromJsonAsync<JsonElement>($"/api/claims/{old}")).GetProperty("status").GetString());
        var poll = await installer.PollAsync(old, oldSecret);
        Assert.Equal(ClaimProblemCodes.ClaimExpired, await Installer.CodeOf(poll));
    }

    [Fact]
    public async Task Installer_endpoints_need_the_api_key_and_the_kit_exchange_does_not()
    {
        await using var hub = await Installer.StartHubAsync();
        using var installer = new Installer(hub);

        Assert.Equal(HttpStatusCode.Unauthorized, (await installer.Kit.PostAsJsonAsync("/api/enrolments", new { claimCode = ClaimCode.New(), residentId = "r-1", enrolledBy = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await installer.PollAsync(ClaimCode.New(), ClaimSecret.New())).StatusCode);
    }

    [Fact]
    public async Task The_provisioning_options_are_validated_on_start()
    {
        var error = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            TestHub.StartAsync(new Dictionary<string, string?> { ["Provisioning:BounceChanges"] = "1", ["Provisioning:ClaimLifetime"] = "00:00:00" }));
        Assert.Contains("Provisioning:BounceChanges", error.Message, StringComparison.Ordinal);
        Assert.Contains("Provisioning:ClaimLifetime", error.Message, StringComparison.Ordinal);
    }
}
