using System.Globalization;
using HomeSignal.Edge.Tests.Support;
using HomeSignal.EndToEnd.Tests.Support;
using HomeSignal.Hub.Security;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Eventually = HomeSignal.Hub.Tests.Support.Eventually;

namespace HomeSignal.EndToEnd.Tests.Tls;

/// <summary>The real edge worker as a kit over TLS: its hub certificate and password together, and the broker checked against the hub CA only.</summary>
public sealed class KitTlsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hs-e2e-tls-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp dir is harmless.
        }
    }

    [Fact]
    public async Task A_door_opened_at_a_kit_reaches_the_hub_over_tls_through_the_embedded_broker()
    {
        await using var hub = await TlsHubAsync();
        var ca = hub.Get<CertificateAuthority>();
        var credentials = await KitToDashboardDataTests.CreateKitAsync(hub, "kit-tls-embedded", await hub.CreateResidentAsync());

        using var kit = await TestKits.StartAsync(KitSettings(credentials.KitId, credentials.Password, hub.MqttPort, ca.CaCertificatePem, ca.IssueKitCertificate(credentials.KitId)));
        kit.Injector().Open("door-front");

        await AssertDoorEventStoredAsync(hub, credentials.KitId);
        await kit.StopAsync();
    }

    [Fact]
    public async Task A_door_opened_at_a_kit_reaches_the_hub_over_tls_through_a_real_mosquitto()
    {
        await using var env = await MosquittoTlsHub.StartAsync();
        var credentials = await KitToDashboardDataTests.CreateKitAsync(env.Hub, "kit-tls-mosquitto", await env.Hub.CreateResidentAsync());

        using var kit = await TestKits.StartAsync(KitSettings(credentials.KitId, credentials.Password, env.TlsPort, env.Ca.CaCertificatePem, env.Ca.IssueKitCertificate(credentials.KitId)));
        kit.Injector().Open("door-front");

        await AssertDoorEventStoredAsync(env.Hub, credentials.KitId);
        await kit.StopAsync();
    }

    [Fact]
    public async Task A_kit_refuses_a_broker_whose_certificate_comes_from_another_ca()
    {
        await using var hub = await TlsHubAsync();
        var ca = hub.Get<CertificateAuthority>();
        using var other = KitTls.OtherCa(_dir);
        var credentials = await hub.CreateKitAsync("kit-tls-foreign");
        var certificate = ca.IssueKitCertificate(credentials.KitId);

        var (refused, logs) = await TryConnectAsync(KitSettings(credentials.KitId, credentials.Password, hub.MqttPort, other.CaCertificatePem, certificate, "foreign"));
        Assert.False(refused);
        Assert.Contains(logs.At(LogLevel.Error), m => m.Contains("does not chain to the CA in Mqtt:CaCertificatePath", StringComparison.Ordinal));

        var (accepted, _) = await TryConnectAsync(KitSettings(credentials.KitId, credentials.Password, hub.MqttPort, ca.CaCertificatePem, certificate, "own"));
        Assert.True(accepted, "the same kit trusting the hub CA connects");
    }

    [Fact]
    public async Task A_kit_refuses_a_broker_whose_certificate_is_made_for_another_host_name()
    {
        // Listening on every loopback address: 127.0.0.2 reaches the broker, but its certificate names only localhost and 127.0.0.1.
        await using var hub = await TlsHubAsync(new() { ["Broker:Host"] = "0.0.0.0" });
        var ca = hub.Get<CertificateAuthority>();
        var credentials = await hub.CreateKitAsync("kit-tls-name");
        var certificate = ca.IssueKitCertificate(credentials.KitId);

        var otherName = KitSettings(credentials.KitId, credentials.Password, hub.MqttPort, ca.CaCertificatePem, certificate, "name");
        otherName["Mqtt:Host"] = "127.0.0.2";
        var (refused, logs) = await TryConnectAsync(otherName);
        Assert.False(refused);
        Assert.Contains(logs.At(LogLevel.Error), m => m.Contains("not made for this host name", StringComparison.Ordinal));

        var (accepted, _) = await TryConnectAsync(KitSettings(credentials.KitId, credentials.Password, hub.MqttPort, ca.CaCertificatePem, certificate, "right-name"));
        Assert.True(accepted, "the same kit connecting by a name in the certificate gets in");
    }

    [Fact]
    public async Task A_kit_without_tls_warns_that_mqtt_is_plain_text()
    {
        var logs = new CapturedLogs();
        var settings = TestKits.Settings("kit-plain", Path.Combine(_dir, "plain"));
        using var kit = HomeSignal.Edge.Program.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.AddProvider(logs);
        });

        _ = kit.Services.GetRequiredService<HomeSignal.Edge.Hub.HubConnection>();

        Assert.Single(logs.At(LogLevel.Warning), m => m.StartsWith("MQTT without TLS (Mqtt:UseTls=false): only for the demo and tests", StringComparison.Ordinal));
    }

    private static Task<TestHub> TlsHubAsync(Dictionary<string, string?>? extra = null)
    {
        var dir = Directory.CreateTempSubdirectory("hs-e2e-tlshub-").FullName;
        var settings = new Dictionary<string, string?> { ["Tls:Enabled"] = "true", ["Tls:Directory"] = Path.Combine(dir, "tls") };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return TestHub.StartAsync(settings, directory: dir);
    }

    /// <summary>Edge settings for a kit over TLS, with its CA and certificate written to its data directory as enrolment does (keys 0600).</summary>
    private Dictionary<string, string?> KitSettings(string kitId, string password, int port, string caPem, KitCertificate certificate, string variant = "kit")
    {
        var dataDir = Path.Combine(_dir, kitId + "-" + variant);
        Directory.CreateDirectory(dataDir);
        File.WriteAllText(Path.Combine(dataDir, "ca.crt"), caPem);
        File.WriteAllText(Path.Combine(dataDir, "kit.crt"), certificate.CertificatePem);
        File.WriteAllText(Path.Combine(dataDir, "kit.key"), certificate.PrivateKeyPem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(dataDir, "kit.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var settings = TestKits.Settings(kitId, dataDir, "127.0.0.1", port);
        settings["Mqtt:Password"] = password;
        settings["Mqtt:UseTls"] = "true";
        settings["Mqtt:CaCertificatePath"] = Path.Combine(dataDir, "ca.crt");
        settings["Mqtt:ClientCertificatePath"] = Path.Combine(dataDir, "kit.crt");
        settings["Mqtt:ClientKeyPath"] = Path.Combine(dataDir, "kit.key");
        settings["Mqtt:Port"] = port.ToString(CultureInfo.InvariantCulture);
        return settings;
    }

    /// <summary>One connection attempt by the edge's own link (the worker is not started, so nothing else connects).</summary>
    private static async Task<(bool Connected, CapturedLogs Logs)> TryConnectAsync(Dictionary<string, string?> settings)
    {
        var logs = new CapturedLogs();
        using var kit = HomeSignal.Edge.Program.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.AddProvider(logs);
        });
        await using var link = kit.Services.GetRequiredService<HomeSignal.Edge.Hub.HubConnection>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var connected = await link.EnsureConnectedAsync(timeout.Token);
        return (connected, logs);
    }

    private static async Task AssertDoorEventStoredAsync(TestHub hub, string kitId)
    {
        await Eventually.TrueAsync(async () =>
        {
            var stored = await hub.Store.QueryEventsAsync(new EventQuery { KitIds = [kitId], Limit = 100 }, CancellationToken.None);
            return stored.Any(e => e.SensorId == "door-front" && e.State == "open");
        }, $"the door event of {kitId} is stored by the hub after crossing TLS");
    }
}
