using HomeSignal.Hub.Security;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace HomeSignal.Hub.Tests.Broker;

/// <summary>The embedded MQTTnet broker with <c>Tls:Enabled</c>: the same rules as mosquitto, plus the certificate must name the kit.</summary>
public sealed class EmbeddedBrokerTlsTests : IAsyncLifetime
{
    private TestHub _hub = null!;

    public async Task InitializeAsync()
    {
        var dir = Directory.CreateTempSubdirectory("hs-etls-").FullName;
        _hub = await TestHub.StartAsync(new Dictionary<string, string?>
        {
            ["Tls:Enabled"] = "true",
            ["Tls:Directory"] = Path.Combine(dir, "tls"),
        }, directory: dir);
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private CertificateAuthority Ca => _hub.Get<CertificateAuthority>();

    [Fact]
    public async Task A_kit_with_a_hub_certificate_and_its_password_delivers_an_event_over_tls()
    {
        var credentials = await _hub.CreateKitAsync("kit-e1");
        await using var kit = new SimulatedKit("kit-e1");

        var code = await kit.ConnectAsync(_hub.MqttPort, credentials.Username, credentials.Password, tls: KitTls.Options(Ca.CaCertificatePem, Ca.IssueKitCertificate("kit-e1")));

        Assert.Equal(MqttClientConnectResultCode.Success, code);
        Assert.True((await kit.PublishAsync(kit.Event(1))).IsSuccess);
        await Eventually.TrueAsync(() => kit.HasStoredAck([1]), "the hub acknowledges the event that came over TLS");
        Assert.Single(await _hub.Store.QueryEventsAsync(new EventQuery { KitIds = ["kit-e1"] }, CancellationToken.None));
    }

    [Fact]
    public async Task A_revoked_kit_is_disconnected_and_refused_by_the_embedded_broker_over_tls()
    {
        var credentials = await _hub.CreateKitAsync("kit-e2");
        var tls = KitTls.Options(Ca.CaCertificatePem, Ca.IssueKitCertificate("kit-e2"));
        await using var kit = new SimulatedKit("kit-e2");
        Assert.Equal(MqttClientConnectResultCode.Success, await kit.ConnectAsync(_hub.MqttPort, credentials.Username, credentials.Password, tls: tls));

        await TestHub.EnsureSuccessAsync(await _hub.Http.PostAsync("/api/kits/kit-e2/revoke", null));

        await Eventually.TrueAsync(() => !kit.IsConnected, "the broker closes the revoked kit's session");
        await using var again = new SimulatedKit("kit-e2");
        Assert.NotEqual(MqttClientConnectResultCode.Success, await again.ConnectAsync(_hub.MqttPort, credentials.Username, credentials.Password, tls: tls));
    }

    [Fact]
    public async Task A_kit_presenting_a_certificate_from_another_ca_or_none_is_refused_by_the_embedded_broker()
    {
        var credentials = await _hub.CreateKitAsync("kit-e3");
        using var other = KitTls.OtherCa(_hub.Directory);

        await using (var foreign = new SimulatedKit("kit-e3"))
        {
            Assert.NotEqual(MqttClientConnectResultCode.Success, await foreign.ConnectAsync(_hub.MqttPort, credentials.Username, credentials.Password, tls: KitTls.Options(Ca.CaCertificatePem, other.IssueKitCertificate("kit-e3"))));
        }

        await using (var none = new SimulatedKit("kit-e3"))
        {
            Assert.NotEqual(MqttClientConnectResultCode.Success, await none.ConnectAsync(_hub.MqttPort, credentials.Username, credentials.Password, tls: KitTls.Options(Ca.CaCertificatePem)));
        }

        await using var rightful = new SimulatedKit("kit-e3");
        Assert.Equal(MqttClientConnectResultCode.Success, await rightful.ConnectAsync(_hub.MqttPort, credentials.Username, credentials.Password, tls: KitTls.Options(Ca.CaCertificatePem, Ca.IssueKitCertificate("kit-e3"))));
    }

    [Fact]
    public async Task A_kit_cannot_use_another_kits_certificate_nor_the_hubs_plain_endpoint()
    {
        var a = await _hub.CreateKitAsync("kit-e4a");
        await _hub.CreateKitAsync("kit-e4b");

        await using (var borrowed = new SimulatedKit("kit-e4a"))
        {
            Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await borrowed.ConnectAsync(_hub.MqttPort, a.Username, a.Password, tls: KitTls.Options(Ca.CaCertificatePem, Ca.IssueKitCertificate("kit-e4b"))));
        }

        var local = _hub.Get<HomeSignal.Hub.Broker.BrokerEndpoint>();
        Assert.NotEqual(local.Port, local.KitPort);
        await using var plain = new SimulatedKit("kit-e4a");
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await plain.ConnectAsync(local.Port, a.Username, a.Password));
    }

    [Fact]
    public async Task A_kit_refuses_the_embedded_broker_when_it_trusts_another_ca()
    {
        var credentials = await _hub.CreateKitAsync("kit-e5");
        using var other = KitTls.OtherCa(_hub.Directory);
        await using var kit = new SimulatedKit("kit-e5");

        var certificate = Ca.IssueKitCertificate("kit-e5");

        var code = await kit.ConnectAsync(_hub.MqttPort, credentials.Username, credentials.Password, tls: KitTls.Options(other.CaCertificatePem, certificate));

        Assert.NotEqual(MqttClientConnectResultCode.Success, code);
        Assert.Equal(MqttClientConnectResultCode.Success, await kit.ConnectAsync(_hub.MqttPort, credentials.Username, credentials.Password, tls: KitTls.Options(Ca.CaCertificatePem, certificate)));
    }
}

public sealed class PlainTextMqttWarningTests
{
    [Fact]
    public async Task Without_tls_the_hub_warns_once_that_mqtt_is_plain_text_and_makes_no_certificates()
    {
        var logs = new CapturedLogs();
        var dir = Directory.CreateTempSubdirectory("hs-plain-").FullName;
        await using (var hub = await TestHub.StartAsync(
            new Dictionary<string, string?> { ["Tls:Directory"] = Path.Combine(dir, "tls") },
            builder => builder.Logging.AddProvider(logs),
            directory: dir,
            deleteOnDispose: false))
        {
            Assert.Single(logs.At(LogLevel.Warning), m => m.StartsWith("MQTT without TLS: only for the demo and tests", StringComparison.Ordinal));
            Assert.False(Directory.Exists(Path.Combine(dir, "tls")), "no CA is made while TLS is off");
        }

        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task With_tls_the_hub_does_not_warn_about_plain_text()
    {
        var logs = new CapturedLogs();
        var dir = Directory.CreateTempSubdirectory("hs-tlson-").FullName;
        await using var hub = await TestHub.StartAsync(
            new Dictionary<string, string?> { ["Tls:Enabled"] = "true", ["Tls:Directory"] = Path.Combine(dir, "tls") },
            builder => builder.Logging.AddProvider(logs),
            directory: dir);

        Assert.DoesNotContain(logs.At(LogLevel.Warning), m => m.Contains("without TLS", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(dir, "tls", "ca.crt")));
    }
}
