using HomeSignal.Hub.Broker;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Tests.Support;
using MQTTnet;

namespace HomeSignal.Hub.Tests.Broker;

/// <summary>A real mosquitto with the TLS listener the hub writes: kits need a certificate from the hub CA AND their password.</summary>
public sealed class MosquittoTlsTests
{
    [Fact]
    public async Task A_kit_with_a_hub_certificate_and_its_password_delivers_an_event_over_tls_through_mosquitto()
    {
        await using var env = await MosquittoTlsHub.StartAsync();
        var credentials = await env.Hub.CreateKitAsync("kit-t1");
        var tls = KitTls.Options(env.Ca.CaCertificatePem, env.Ca.IssueKitCertificate("kit-t1"));
        await using var kit = await env.ConnectKitAsync("kit-t1", credentials.Password, tls);

        var publish = await kit.PublishAsync(kit.Event(1));
        Assert.True(publish.IsSuccess, $"{publish.ReasonCode} {publish.ReasonString}");
        await Eventually.TrueAsync(() => kit.HasStoredAck([1]), "the hub acknowledges the event that came over TLS");
        Assert.Single(await env.Hub.Store.QueryEventsAsync(new EventQuery { KitIds = ["kit-t1"] }, CancellationToken.None));
    }

    [Fact]
    public async Task A_revoked_kit_is_disconnected_and_refused_by_the_running_mosquitto_over_tls()
    {
        await using var env = await MosquittoTlsHub.StartAsync();
        var credentials = await env.Hub.CreateKitAsync("kit-t2");
        var tls = KitTls.Options(env.Ca.CaCertificatePem, env.Ca.IssueKitCertificate("kit-t2"));
        await using var connected = await env.ConnectKitAsync("kit-t2", credentials.Password, tls);

        // No manual reload: the hub rewrites the password file and signals mosquitto through its pid file.
        await TestHub.EnsureSuccessAsync(await env.Hub.Http.PostAsync("/api/kits/kit-t2/revoke", null));

        await Eventually.TrueAsync(() => !connected.IsConnected, "mosquitto drops the revoked kit's open connection after the hub's SIGHUP");
        await using var again = new SimulatedKit("kit-t2");
        Assert.NotEqual(MqttClientConnectResultCode.Success, await again.ConnectAsync(env.TlsPort, credentials.Username, credentials.Password, tls: tls));
        Assert.DoesNotContain("kit-t2", await File.ReadAllTextAsync(Path.Combine(env.Directory, "mosquitto.passwd")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kit_presenting_a_certificate_from_another_ca_is_refused_by_mosquitto_even_with_its_password()
    {
        await using var env = await MosquittoTlsHub.StartAsync();
        var credentials = await env.Hub.CreateKitAsync("kit-t3");
        using var other = KitTls.OtherCa(env.Directory);

        // The same kit with the hub's certificate gets in: the refusals below are about the certificate alone.
        await using (await env.ConnectKitAsync("kit-t3", credentials.Password, KitTls.Options(env.Ca.CaCertificatePem, env.Ca.IssueKitCertificate("kit-t3"))))
        {
        }

        await using var foreign = new SimulatedKit("kit-t3");
        var withForeignCertificate = KitTls.Options(env.Ca.CaCertificatePem, other.IssueKitCertificate("kit-t3"));
        Assert.NotEqual(MqttClientConnectResultCode.Success, await foreign.ConnectAsync(env.TlsPort, credentials.Username, credentials.Password, tls: withForeignCertificate));

        await using var none = new SimulatedKit("kit-t3");
        Assert.NotEqual(MqttClientConnectResultCode.Success, await none.ConnectAsync(env.TlsPort, credentials.Username, credentials.Password, tls: KitTls.Options(env.Ca.CaCertificatePem)));
    }

    [Fact]
    public async Task A_kit_with_a_hub_certificate_but_a_wrong_password_is_refused_by_mosquitto()
    {
        await using var env = await MosquittoTlsHub.StartAsync();
        var credentials = await env.Hub.CreateKitAsync("kit-t4");
        var tls = KitTls.Options(env.Ca.CaCertificatePem, env.Ca.IssueKitCertificate("kit-t4"));
        await using (await env.ConnectKitAsync("kit-t4", credentials.Password, tls))
        {
        }

        await using var kit = new SimulatedKit("kit-t4");
        Assert.NotEqual(MqttClientConnectResultCode.Success, await kit.ConnectAsync(env.TlsPort, credentials.Username, credentials.Password + "x", tls: tls));
    }

    [Fact]
    public async Task A_kit_refuses_mosquitto_when_it_trusts_another_ca()
    {
        await using var env = await MosquittoTlsHub.StartAsync();
        var credentials = await env.Hub.CreateKitAsync("kit-t5");
        using var other = KitTls.OtherCa(env.Directory);
        var certificate = env.Ca.IssueKitCertificate("kit-t5");
        await using (await env.ConnectKitAsync("kit-t5", credentials.Password, KitTls.Options(env.Ca.CaCertificatePem, certificate)))
        {
        }

        await using var kit = new SimulatedKit("kit-t5");
        Assert.NotEqual(MqttClientConnectResultCode.Success, await kit.ConnectAsync(env.TlsPort, credentials.Username, credentials.Password, tls: KitTls.Options(other.CaCertificatePem, certificate)));
    }

    [Fact]
    public async Task The_hub_writes_a_tls_listener_that_requires_client_certificates_and_names_its_password_and_acl_files()
    {
        await using var env = await MosquittoTlsHub.StartAsync();
        var config = await File.ReadAllLinesAsync(env.TlsConfigFile);

        Assert.Contains($"listener {env.TlsPort} 127.0.0.1", config);
        Assert.Contains($"cafile {env.Ca.CaCertificatePath}", config);
        Assert.Contains($"certfile {env.Ca.ServerCertificatePath}", config);
        Assert.Contains($"keyfile {env.Ca.ServerKeyPath}", config);
        Assert.Contains("require_certificate true", config);
        Assert.Contains("use_identity_as_username false", config);
        Assert.Contains("tls_version tlsv1.2", config);
        Assert.Contains($"password_file {Path.Combine(env.Directory, "mosquitto.passwd")}", config);
        Assert.Contains($"acl_file {Path.Combine(env.Directory, "mosquitto.acl")}", config);
        Assert.False(MosquittoTlsListener.Write(env.Hub.Get<Microsoft.Extensions.Options.IOptions<BrokerOptions>>().Value, env.Ca), "an unchanged listener is not rewritten");
    }
}
