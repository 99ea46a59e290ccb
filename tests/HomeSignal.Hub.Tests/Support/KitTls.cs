using System.Security.Cryptography.X509Certificates;
using HomeSignal.Hub.Security;
using MQTTnet;

namespace HomeSignal.Hub.Tests.Support;

/// <summary>TLS settings of a test kit: trust only the given CA (and check the host name), optionally present a client certificate.</summary>
public static class KitTls
{
    public static MqttClientTlsOptions Options(string caCertificatePem, KitCertificate? client = null)
    {
        var trust = new X509Certificate2Collection();
        trust.ImportFromPem(caCertificatePem);
        var builder = new MqttClientTlsOptionsBuilder()
            .UseTls()
            .WithTrustChain(trust)
            .WithRevocationMode(X509RevocationMode.NoCheck);
        if (client is not null)
        {
            builder = builder.WithClientCertificates([X509Certificate2.CreateFromPem(client.CertificatePem, client.PrivateKeyPem)]);
        }

        return builder.Build();
    }

    /// <summary>A second, unrelated CA in its own temp directory: what an attacker's or another installation's CA looks like.</summary>
    public static CertificateAuthority OtherCa(string directory) => new(
        new TlsOptions { Enabled = true, Directory = Path.Combine(directory, "other-ca"), CaName = "Some other CA" },
        TimeProvider.System,
        Microsoft.Extensions.Logging.Abstractions.NullLogger<CertificateAuthority>.Instance);
}
