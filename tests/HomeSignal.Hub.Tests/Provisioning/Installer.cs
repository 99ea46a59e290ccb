using System.Net.Http.Json;
using System.Text.Json;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Provisioning;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Tests.Support;

namespace HomeSignal.Hub.Tests.Provisioning;

/// <summary>What an installer and an unenrolled kit do against a <see cref="TestHub"/>, over HTTP.</summary>
public sealed class Installer(TestHub hub) : IDisposable
{
    public static readonly object[] KitSensors =
    [
        new { sensorId = "door-front", kind = "door", room = "hal", purpose = "voordeur" },
        new { sensorId = "motion-living", kind = "motion", room = "woonkamer", purpose = "aanwezigheid" },
        new { sensorId = "mailbox-flap", kind = "mailbox-flap", room = "voordeur", purpose = "post bezorgd" },
        new { sensorId = "mailbox-door", kind = "mailbox-door", room = "voordeur", purpose = "post opgehaald" },
        new { sensorId = "button-ok", kind = "button", room = "woonkamer", purpose = "alles goed" },
    ];

    private readonly string _bootId = Guid.NewGuid().ToString("N");
    private long _seq;

    /// <summary>The kit's side: no API key.</summary>
    public HttpClient Kit { get; } = new() { BaseAddress = hub.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public Task<HttpResponseMessage> PollAsync(string code, string secret) =>
        Kit.PostAsJsonAsync("/provisioning/claims", new { claimCode = code, claimSecret = secret, softwareVersion = "1.0.0-test", sensors = KitSensors });

    /// <summary>A kit reports a new code; returns the code and its secret.</summary>
    public async Task<(string Code, string Secret)> NewClaimAsync()
    {
        var code = ClaimCode.New();
        var secret = ClaimSecret.New();
        var response = await PollAsync(code, secret);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (code, secret);
    }

    public async Task<string> ConsentedResidentAsync()
    {
        var residentId = await hub.CreateResidentAsync();
        await ConsentAsync(residentId, monitoring: true);
        return residentId;
    }

    public async Task ConsentAsync(string residentId, bool monitoring)
    {
        var response = await hub.Http.PutAsJsonAsync($"/api/residents/{residentId}/consent", new { monitoring, shareWithNurse = monitoring, belronde = monitoring, recordedBy = "installateur Piet" });
        await TestHub.EnsureSuccessAsync(response);
    }

    public Task<HttpResponseMessage> EnrolAsync(string code, string residentId) =>
        hub.Http.PostAsJsonAsync("/api/enrolments", new { claimCode = code, residentId, enrolledBy = "installateur Piet" });

    /// <summary>Claim, enrol and let the kit collect: returns the new kit id.</summary>
    public async Task<string> EnrolledKitAsync(string residentId)
    {
        var (code, secret) = await NewClaimAsync();
        var enrolled = await EnrolAsync(code, residentId);
        await TestHub.EnsureSuccessAsync(enrolled);
        var kitId = (await enrolled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kitId").GetString()!;
        var collected = await PollAsync(code, secret);
        await TestHub.EnsureSuccessAsync(collected);
        return kitId;
    }

    /// <summary>Sends one event of the kit through the ingestion pipeline (as if it came over MQTT).</summary>
    public async Task SendAsync(string kitId, string sensorId, SensorKind kind, string state, DateTimeOffset ts)
    {
        var e = new SensorEvent { KitId = kitId, BootId = _bootId, Seq = _seq++, SensorId = sensorId, Kind = kind, State = state, Ts = ts, ClockSynced = true };
        await hub.Get<IngestionPipeline>().ProcessAsync([new IngestItem(kitId, new EventToStore(e, ts), null, _ => Task.CompletedTask)], CancellationToken.None);
    }

    /// <summary>Walks the kit's required sensors correctly, starting at <paramref name="at"/>.</summary>
    public async Task WalkAsync(string kitId, DateTimeOffset at)
    {
        await SendAsync(kitId, "door-front", SensorKind.Door, SensorStates.Open, at);
        await SendAsync(kitId, "door-front", SensorKind.Door, SensorStates.Closed, at.AddSeconds(3));
        await SendAsync(kitId, "motion-living", SensorKind.Motion, SensorStates.Active, at.AddSeconds(10));
        await SendAsync(kitId, "mailbox-flap", SensorKind.MailboxFlap, SensorStates.Open, at.AddSeconds(20));
        await SendAsync(kitId, "mailbox-flap", SensorKind.MailboxFlap, SensorStates.Closed, at.AddSeconds(21));
        await SendAsync(kitId, "mailbox-door", SensorKind.MailboxDoor, SensorStates.Open, at.AddSeconds(30));
        await SendAsync(kitId, "mailbox-door", SensorKind.MailboxDoor, SensorStates.Closed, at.AddSeconds(33));
    }

    /// <summary>A hub for provisioning tests: polls may come back to back (the throttle has its own test).</summary>
    public static Task<TestHub> StartHubAsync(Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?> { ["Provisioning:MinPollInterval"] = "00:00:00" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        return TestHub.StartAsync(values, configure);
    }

    public static async Task<string?> CodeOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.TryGetProperty("code", out var code) ? code.GetString() : null;
    }

    public void Dispose() => Kit.Dispose();
}
