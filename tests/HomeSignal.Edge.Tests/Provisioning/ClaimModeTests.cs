using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Provisioning;
using HomeSignal.Edge.Hub;
using HomeSignal.Edge.Kit;
using HomeSignal.Edge.Provisioning;
using HomeSignal.Edge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HomeSignal.Edge.Tests.Provisioning;

/// <summary>A kit without credentials: claim code, label, polling, and the switch to a normal kit once enrolled.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ClaimModeTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TempDirectory _dir = new();
    private readonly TcpListener _mqtt = new(IPAddress.Loopback, 0);

    public ClaimModeTests() => _mqtt.Start();

    [Fact]
    public async Task Without_credentials_the_kit_shows_a_claim_code_on_a_label_polls_the_hub_and_never_touches_mqtt()
    {
        await using var hub = new ScriptedHub();
        using var kit = await StartAsync(hub);

        await Eventually.TrueAsync(() => hub.Polls.Count >= 2, "the kit polled the hub twice");

        var poll = hub.Polls.First();
        Assert.True(ClaimCode.IsValid(poll.ClaimCode));
        Assert.All(hub.Polls, p => Assert.Equal(poll.ClaimCode, p.ClaimCode));
        Assert.All(hub.Polls, p => Assert.Equal(poll.ClaimSecret, p.ClaimSecret));
        Assert.Contains(poll.Sensors, s => s.SensorId == "door-front" && s.Kind == SensorKind.Door);
        Assert.DoesNotContain(poll.Sensors, s => s.Kind == SensorKind.Kit);

        var png = await File.ReadAllBytesAsync(_dir.File("claim-label.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        var width = (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
        Assert.InRange(width, 100, 2000);
        Assert.Contains(poll.ClaimCode, await File.ReadAllTextAsync(_dir.File("claim-label.txt")), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File("claim.json")));
        Assert.Equal(ClaimLabel.QrContent(poll.ClaimCode, "https://dashboard.example.nl/installeren"), $"https://dashboard.example.nl/installeren?code={poll.ClaimCode}");

        Assert.False(_mqtt.Pending(), "nothing may connect to the broker before enrolment");
        Assert.Null(kit.Services.GetService<HubConnection>());
        Assert.False(File.Exists(_dir.File("outbox.db")), "nothing is recorded before the kit has an identity");
        await kit.StopAsync();
    }

    [Fact]
    public async Task The_claim_code_is_kept_across_restarts_until_it_expires_on_the_kit()
    {
        await using var hub = new ScriptedHub();
        using (var first = await StartAsync(hub))
        {
            await Eventually.TrueAsync(() => !hub.Polls.IsEmpty, "the kit polled");
            await first.StopAsync();
        }

        var code = hub.Polls.First().ClaimCode;
        using (var second = await StartAsync(hub))
        {
            await Eventually.TrueAsync(() => hub.Polls.Count >= 2, "the restarted kit polled");
            Assert.All(hub.Polls, p => Assert.Equal(code, p.ClaimCode));
            await second.StopAsync();
        }

        // A week later (the kit's Provisioning:ClaimCodeLifetime) the kit makes a new code.
        var stored = JsonSerializer.Deserialize<Claim>(await File.ReadAllBytesAsync(_dir.File("claim.json")), Json)!;
        await File.WriteAllTextAsync(_dir.File("claim.json"), JsonSerializer.Serialize(stored with { CreatedAt = stored.CreatedAt.AddDays(-8) }, Json));
        var before = hub.Polls.Count;
        using var third = await StartAsync(hub);
        await Eventually.TrueAsync(() => hub.Polls.Count > before, "the kit polled with a new code");
        var renewed = hub.Polls.Last().ClaimCode;
        Assert.NotEqual(code, renewed);
        Assert.Contains(renewed, await File.ReadAllTextAsync(_dir.File("claim-label.txt")), StringComparison.Ordinal);
        await third.StopAsync();
    }

    [Theory]
    [InlineData(410, ClaimProblemCodes.ClaimExpired)]
    [InlineData(410, ClaimProblemCodes.ClaimUsed)]
    [InlineData(409, ClaimProblemCodes.ClaimBoundElsewhere)]
    public async Task A_code_the_hub_refuses_is_replaced_by_a_new_code_and_label(int status, string problem)
    {
        await using var hub = new ScriptedHub();
        string? refused = null;
        hub.Answer = poll =>
        {
            refused ??= poll.ClaimCode;
            return poll.ClaimCode == refused ? ScriptedHub.Problem(status, problem) : ScriptedHub.Waiting();
        };
        using var kit = await StartAsync(hub, ("Provisioning:PollBackoffInitialSeconds", "0.2"), ("Provisioning:PollBackoffMaxSeconds", "0.5"));

        await Eventually.TrueAsync(() => hub.Polls.Any(p => p.ClaimCode != refused), "the kit polled with a new code");

        var fresh = hub.Polls.Last().ClaimCode;
        Assert.Contains(fresh, await File.ReadAllTextAsync(_dir.File("claim-label.txt")), StringComparison.Ordinal);
        Assert.False(_mqtt.Pending());
        await kit.StopAsync();
    }

    [Fact]
    public async Task Once_enrolled_the_kit_stores_its_credentials_privately_and_runs_as_that_kit_without_a_restart()
    {
        await using var hub = new ScriptedHub();
        var port = ((IPEndPoint)_mqtt.LocalEndpoint).Port;
        var polls = 0;
        hub.Answer = _ => Interlocked.Increment(ref polls) < 2
            ? ScriptedHub.Waiting()
            : (200, ClaimReader.Write(new ClaimAnswer
            {
                Status = ClaimStatuses.Enrolled,
                KitId = "kit-enrolled",
                Broker = new ClaimBroker("127.0.0.1", port, UseTls: false),
                Username = "kit-enrolled",
                Password = "the-per-kit-password-0123456789",
                Sensors = [new SensorAssignment("door-front", SensorKind.Door, "hal", "voordeur")],
                HeartbeatIntervalSeconds = 30,
            }));
        using var claimHost = await StartAsync(hub);

        var kit = await claimHost.Services.GetRequiredService<KitLauncher>().Started.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("kit-enrolled", kit.Services.GetRequiredService<KitIdentity>().KitId);
        var enrolment = _dir.File(EnrolmentFile.FileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(enrolment));
        Assert.Contains("the-per-kit-password-0123456789", await File.ReadAllTextAsync(enrolment), StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("claim.json")), "a used code is forgotten");
        Assert.False(File.Exists(_dir.File("claim-label.png")));
        using var connection = await _mqtt.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(30)); // the kit now dials its broker
        Assert.True(connection.Connected);
        await claimHost.StopAsync();

        // After a restart the kit starts straight away as the enrolled kit.
        using var restarted = TestKits.Build(ClaimSettings(hub));
        Assert.Equal("kit-enrolled", restarted.Services.GetRequiredService<KitIdentity>().KitId);
        Assert.Null(restarted.Services.GetService<KitLauncher>());
    }

    [Fact]
    public async Task A_kit_with_neither_credentials_nor_a_hub_to_enrol_with_refuses_to_start_and_says_what_to_set()
    {
        var settings = ClaimSettings(null);
        settings.Remove("Provisioning:HubUrl");
        using var host = TestKits.Build(settings);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains("Provisioning:HubUrl", Describe(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_claim_mode_kit_with_a_bad_hub_address_refuses_to_start_naming_the_key()
    {
        var settings = ClaimSettings(null);
        settings["Provisioning:HubUrl"] = "hub.example.nl";
        using var host = TestKits.Build(settings);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains("Provisioning:HubUrl", Describe(error), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _mqtt.Stop();
        _mqtt.Dispose();
        _dir.Dispose();
    }

    private static string Describe(Exception error) => error is AggregateException aggregate
        ? string.Join(" | ", aggregate.Flatten().InnerExceptions.Select(e => e.Message))
        : error.Message + (error.InnerException is { } inner ? " | " + inner.Message : string.Empty);

    private Dictionary<string, string?> ClaimSettings(ScriptedHub? hub)
    {
        var settings = TestKits.Settings("unused", _dir.Path, "127.0.0.1", ((IPEndPoint)_mqtt.LocalEndpoint).Port);
        settings.Remove("Kit:KitId");
        settings.Remove("Mqtt:Username");
        settings.Remove("Mqtt:Password");
        settings["Provisioning:HubUrl"] = hub?.Url ?? "http://127.0.0.1:9";
        settings["Provisioning:EnrolUrl"] = "https://dashboard.example.nl/installeren";
        return settings;
    }

    private async Task<IHost> StartAsync(ScriptedHub hub, params (string Key, string Value)[] extra)
    {
        var settings = ClaimSettings(hub);
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return await TestKits.StartAsync(settings);
    }
}
