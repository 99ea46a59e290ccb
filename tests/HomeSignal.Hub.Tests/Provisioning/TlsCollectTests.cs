using System.Net;
using System.Security.Cryptography.X509Certificates;
using HomeSignal.Contracts.Provisioning;
using HomeSignal.Hub.Security;
using HomeSignal.Hub.Tests.Support;

namespace HomeSignal.Hub.Tests.Provisioning;

/// <summary>With <c>Tls:Enabled</c> the collect answer carries the hub CA and a client certificate for the new kit.</summary>
public sealed class TlsCollectTests
{
    [Fact]
    public async Task A_kit_collects_the_hub_ca_and_a_certificate_naming_its_new_kit_id_when_tls_is_on()
    {
        var dir = Directory.CreateTempSubdirectory("hs-enrol-tls-").FullName;
        await using var hub = await Installer.StartHubAsync(settings: new Dictionary<string, string?>
        {
            ["Tls:Enabled"] = "true",
            ["Tls:Directory"] = Path.Combine(dir, "tls"),
        });
        using var installer = new Installer(hub);
        var residentId = await installer.ConsentedResidentAsync();
        var (code, secret) = await installer.NewClaimAsync();
        await TestHub.EnsureSuccessAsync(await installer.EnrolAsync(code, residentId));

        var response = await installer.PollAsync(code, secret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = ClaimReader.ReadAnswer(await response.Content.ReadAsByteArrayAsync()).Value!;
        Assert.True(answer.Broker!.UseTls);
        Assert.Equal(hub.MqttPort, answer.Broker.Port);
        var tls = answer.Tls!;
        Assert.Equal(hub.Get<CertificateAuthority>().CaCertificatePem, tls.CaCertificatePem);
        using var certificate = X509Certificate2.CreateFromPem(tls.ClientCertificatePem, tls.ClientKeyPem);
        Assert.Equal(answer.KitId, certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.True(certificate.HasPrivateKey);
        Assert.True(hub.Get<CertificateAuthority>().Validates(certificate, CertificateAuthority.ClientAuthentication, out var problem), problem);
    }
}
