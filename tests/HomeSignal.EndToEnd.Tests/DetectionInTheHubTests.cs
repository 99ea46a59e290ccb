using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using HomeSignal.Hub.Detection;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Tests.Support;
using HomeSignal.Simulation;
using HomeSignal.Simulation.Context;
using HomeSignal.Simulation.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HomeSignal.EndToEnd.Tests;

/// <summary>
/// The hub running detection over a simulated resident's stored history: weeks of ordinary life, then a morning on
/// which she does not get up. The signal must appear in the hub's API, in Dutch, only when she consented to monitoring.
/// </summary>
public sealed class DetectionInTheHubTests
{
    [Fact]
    public async Task A_resident_who_is_not_up_this_morning_gets_a_not_up_signal_in_the_hub_api()
    {
        var (history, now) = SimulateNotUpMorning();
        var time = new FakeTimeProvider(now);
        await using var hub = await TestHub.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        var residentId = await SetUpResidentAsync(hub, history, monitoring: true);

        await hub.Get<ResidentMonitor>().EvaluateAsync(CancellationToken.None);

        var signals = await SignalsAsync(hub, now.AddDays(-2));
        var notUp = Assert.Single(signals, s => s.GetProperty("residentId").GetString() == residentId && s.GetProperty("kind").GetString() == "not-up");
        Assert.Equal("acute", notUp.GetProperty("layer").GetString());
        Assert.False(string.IsNullOrWhiteSpace(notUp.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(notUp.GetProperty("question").GetString()));
        Assert.DoesNotContain("wegkwijnen", notUp.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_hospital_stay_recorded_while_the_hub_follows_her_keeps_the_not_up_alarm_away()
    {
        var (history, now) = SimulateNotUpMorning();
        var time = new FakeTimeProvider(now.AddHours(-8));
        await using var hub = await TestHub.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        var residentId = await SetUpResidentAsync(hub, history, monitoring: true);
        var monitor = hub.Get<ResidentMonitor>();
        await monitor.EvaluateAsync(CancellationToken.None);
        Assert.Contains(residentId, monitor.FollowedResidents);

        // Recorded after detection started following her: it must reach the running detection, not only a new one.
        var hospital = await hub.Http.PostAsJsonAsync($"/api/residents/{residentId}/context", new { kind = "hospital", from = now.AddHours(-8), note = "opgenomen" });
        await TestHub.EnsureSuccessAsync(hospital);
        time.SetUtcNow(now);
        await monitor.EvaluateAsync(CancellationToken.None);

        Assert.DoesNotContain(await SignalsAsync(hub, now.AddDays(-2)), s => s.GetProperty("residentId").GetString() == residentId && s.GetProperty("kind").GetString() == "not-up");
    }

    [Fact]
    public async Task Without_consent_to_monitoring_the_hub_analyses_nothing_about_the_resident()
    {
        var (history, now) = SimulateNotUpMorning();
        var time = new FakeTimeProvider(now);
        await using var hub = await TestHub.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        var residentId = await SetUpResidentAsync(hub, history, monitoring: false);

        await hub.Get<ResidentMonitor>().EvaluateAsync(CancellationToken.None);

        Assert.DoesNotContain(residentId, hub.Get<ResidentMonitor>().FollowedResidents);
        Assert.DoesNotContain(await SignalsAsync(hub, now.AddDays(-60)), s => s.GetProperty("residentId").GetString() == residentId);
    }

    private static (SimulationResult History, DateTimeOffset Now) SimulateNotUpMorning()
    {
        var day = new DateOnly(2026, 10, 6);
        var scenario = SimulationScenario.Create(7, day.AddDays(-35), 36) with
        {
            Patterns = [InjectedPattern.NotUpInMorning(day)],
            Confounders = ConfounderSwitches.None,
        };
        var result = ResidentSimulator.Run(scenario);
        var truth = Assert.Single(result.Truth.Patterns);
        Assert.True(truth.Placed, truth.Description);
        var now = truth.CountFrom!.Value.AddHours(4);
        return (result.Before(now), now);
    }

    private static async Task<string> SetUpResidentAsync(TestHub hub, SimulationResult history, bool monitoring)
    {
        var residentId = await hub.CreateResidentAsync("Mevrouw de Vries");
        var consent = await hub.Http.PutAsJsonAsync($"/api/residents/{residentId}/consent",
            new { monitoring, shareWithNurse = true, belronde = true, recordedBy = "test" });
        await TestHub.EnsureSuccessAsync(consent);
        var kit = await hub.Http.PostAsJsonAsync("/api/kits", new
        {
            kitId = history.KitId,
            residentId,
            sensors = history.Sensors.Select(s => new { sensorId = s.SensorId, kind = ApiKind(s.Kind), room = s.Room, purpose = s.Purpose }),
        });
        await TestHub.EnsureSuccessAsync(kit);
        await hub.Get<EventBackfill>().BackfillAsync(history.Events, CancellationToken.None);
        return residentId;
    }

    private static async Task<JsonElement[]> SignalsAsync(TestHub hub, DateTimeOffset since) =>
        (await hub.Http.GetFromJsonAsync<JsonElement[]>($"/api/signals?since={Uri.EscapeDataString(since.ToString("O", CultureInfo.InvariantCulture))}"))!;

    private static string ApiKind(Contracts.Payloads.SensorKind kind) =>
        JsonSerializer.Serialize(kind, Contracts.Serialization.ContractJsonContext.Default.SensorKind).Trim('"');
}
